package credential

import (
	"context"
	"database/sql/driver"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vapsql/vap/registry"
)

// Secret is one resolved or minted value and how long it may be used.
type Secret struct {
	// Value is the secret itself. It never appears in an error or a log.
	Value string
	// Expires is when the value stops being accepted (a token's expiry, a
	// Vault lease's end); zero means it does not expire by itself and is
	// kept for the resolver's TTL.
	Expires time.Time
	// Fields are other fields of the connection that the same secret sets,
	// by field name, so that they always come from one lease together: a
	// Vault database role's {"ref": "vault-db:MOUNT/ROLE"} on "password"
	// yields the dynamic password as Value and {"user_name": USER} here.
	// They are laid over the connection's stored fields. Optional.
	Fields map[string]string
	// ConnLifetime, when positive, is how long a physical connection made
	// with this secret stays usable on the server (a dynamic Vault database
	// user is dropped when its lease ends). Zero: no limit.
	ConnLifetime time.Duration
	// Renew, when not nil, extends the value's life (a Vault lease renewal)
	// and returns the new expiry. Optional.
	Renew func(ctx context.Context) (time.Time, error)
}

// Resolver resolves secret references of one scheme ("env", "file",
// "vault", "vault-db", "aws-sm", …). ref is what follows "SCHEME:" in
// {"ref": "SCHEME:…"}. A Resolver must be safe for concurrent use; the
// caller caches and shares its answers (see Cache), so it may be slow.
type Resolver interface {
	Resolve(ctx context.Context, ref string) (Secret, error)
}

// ResolverFunc adapts a function to Resolver.
type ResolverFunc func(ctx context.Context, ref string) (Secret, error)

// Resolve calls f.
func (f ResolverFunc) Resolve(ctx context.Context, ref string) (Secret, error) { return f(ctx, ref) }

// Minted is what an Auth mints for one connection: fields laid over the
// connection's stored fields for the next physical connections (for
// example {"password": token} for RDS IAM, or {"user": dbUser, "password":
// pw} for Redshift's GetClusterCredentials), and when they stop being
// accepted.
type Minted struct {
	Fields  map[string]string
	Expires time.Time
	// ConnLifetime, when positive, is how long a physical connection made
	// with these fields stays usable on the server (a Vault database lease,
	// Redshift temporary credentials that end sessions). Zero: a connection
	// outlives its credential (RDS IAM tokens are checked only at login).
	ConnLifetime time.Duration
}

// Auth mints credentials for connections whose "auth_type" field names it
// ("aws-iam", "azure-ad"). An Auth must be safe for concurrent use; the
// caller caches and shares its answers, refreshing before Expires.
type Auth interface {
	// Mint returns the fields to lay over p for new physical connections.
	Mint(ctx context.Context, p registry.Params) (Minted, error)
}

// ConnectorAuth is an Auth that builds the real connector itself, when the
// real driver asks for a token at each login (credential/azuread: go-mssqldb's
// security-token connector, fed by a cached azidentity credential). The
// connector it returns is used for
// every physical connection; Mint is not called.
type ConnectorAuth interface {
	Connector(ctx context.Context, p registry.Params) (driver.Connector, error)
}

// Validator is optionally implemented by an Auth to check a connection's
// fields when it is stored (role ARN shape, region present, TLS required),
// before anything is minted. Errors name fields, never values.
type Validator interface {
	Validate(p registry.Params) error
}

var (
	mu        sync.RWMutex
	resolvers = map[string]Resolver{}
	auths     = map[string]map[string]Auth{} // auth_type → type name → Auth
	hints     = map[string]string{}          // scheme or auth_type → package to import
)

// RegisterResolver makes scheme resolvable. It panics when scheme is empty,
// has a colon, or is registered twice (as database/sql.Register does).
func RegisterResolver(scheme string, r Resolver) {
	if scheme == "" || strings.Contains(scheme, ":") || r == nil {
		panic("credential: RegisterResolver: bad scheme or nil resolver")
	}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := resolvers[scheme]; dup {
		panic("credential: RegisterResolver called twice for scheme " + scheme)
	}
	resolvers[scheme] = r
}

// LookupResolver returns the resolver of scheme.
func LookupResolver(scheme string) (Resolver, error) {
	mu.RLock()
	defer mu.RUnlock()
	if r, ok := resolvers[scheme]; ok {
		return r, nil
	}
	return nil, &NotLinkedError{Kind: "secret reference scheme", Name: scheme, Package: hints[scheme], Known: keys(resolvers)}
}

// RegisterAuth makes authType usable on connections of the named types
// (canonical registry type names: "postgresql", "mysql",
// "sqlalchemy-redshift", "mssql"). It panics on a duplicate pair.
func RegisterAuth(authType string, a Auth, types ...string) {
	if authType == "" || a == nil || len(types) == 0 {
		panic("credential: RegisterAuth: bad arguments")
	}
	mu.Lock()
	defer mu.Unlock()
	m := auths[authType]
	if m == nil {
		m = map[string]Auth{}
		auths[authType] = m
	}
	for _, t := range types {
		if _, dup := m[t]; dup {
			panic("credential: RegisterAuth called twice for " + authType + " on " + t)
		}
		m[t] = a
	}
}

// LookupAuth returns the Auth registered for authType on type typ.
func LookupAuth(authType, typ string) (Auth, error) {
	mu.RLock()
	defer mu.RUnlock()
	m, ok := auths[authType]
	if !ok {
		return nil, &NotLinkedError{Kind: "auth_type", Name: authType, Package: hints[authType], Known: keys(auths)}
	}
	a, ok := m[typ]
	if !ok {
		return nil, fmt.Errorf("credential: auth_type %q is not available for connection type %q (it is for: %s)", authType, typ, strings.Join(keys(m), ", "))
	}
	return a, nil
}

// Hint records which package provides scheme or auth type name, so that an
// unlinked one fails with "add import _ PACKAGE". vap's own packages are
// hinted by this package; others may add theirs.
func Hint(name, pkg string) {
	mu.Lock()
	defer mu.Unlock()
	hints[name] = pkg
}

func init() {
	for name, pkg := range map[string]string{
		"vault":    "github.com/vapsql/vap/credential/vault",
		"vault-db": "github.com/vapsql/vap/credential/vault",
		"aws-sm":   "github.com/vapsql/vap/credential/awssm",
		"gcp-sm":   "github.com/vapsql/vap/credential/gcpsm",
		"aws-iam":  "github.com/vapsql/vap/credential/awsiam",
		"azure-ad": "github.com/vapsql/vap/credential/azuread",
	} {
		hints[name] = pkg
	}
}

// MintError is a credential an auth_type could not mint while the driver
// logged in: a ConnectorAuth's connector fetches its token at each login
// (go-mssqldb asks azure-ad for one), so the failure comes back from the
// driver's Connect. The vap driver reports its step as token minting,
// whatever the cause (the authority refused, or could not be reached).
type MintError struct {
	AuthType string
	Err      error
}

func (e *MintError) Error() string { return e.Err.Error() }

func (e *MintError) Unwrap() error { return e.Err }

// NotLinkedError reports a reference scheme or auth type that no linked
// package provides.
type NotLinkedError struct {
	Kind    string // "secret reference scheme" or "auth_type"
	Name    string
	Package string // the package that provides it, when known
	Known   []string
}

func (e *NotLinkedError) Error() string {
	if e.Package != "" {
		return fmt.Sprintf("credential: %s %q is not linked into this program: add import _ %q", e.Kind, e.Name, e.Package)
	}
	return fmt.Sprintf("credential: unknown %s %q (known: %s)", e.Kind, e.Name, strings.Join(e.Known, ", "))
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
