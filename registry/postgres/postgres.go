package postgres

import (
	"context"
	"database/sql/driver"
	"errors"
	"maps"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/vapsql/vap/registry"
)

var (
	fields   = []string{"password", "port", "dbname"}
	options  = []string{"sslmode", "sslrootcert", "application_name", "connect_timeout", "search_path", "target_session_attrs", "statement_timeout"}
	sslmodes = map[string]bool{"disable": true, "allow": true, "prefer": true, "require": true, "verify-ca": true, "verify-full": true}
)

// PostgreSQL is the postgresql type.
var PostgreSQL = newType("postgresql", []string{"postgres", "pg"}, 5432, "prefer", 63)

// Redshift is the sqlalchemy-redshift type: PostgreSQL wire, port 5439,
// TLS required by default.
var Redshift = newType("sqlalchemy-redshift", []string{"redshift", "redshift+psycopg2"}, 5439, "require", 127)

func init() {
	PostgreSQL.Load = Load
	// Redshift has no COPY FROM STDIN (its COPY reads S3): multi-row
	// INSERTs, in the load's transaction.
	Redshift.Load = &registry.Load{Quote: Quote, ColumnType: ColumnType, TxDDL: true, InsertRows: 1000, InsertParams: 32767}
}

// newType describes a PostgreSQL-wire type; defPort and defSSL apply when the
// connection sets no port or options.sslmode; maxIdent is the longest
// identifier, in bytes, the server keeps (it truncates longer ones).
func newType(name string, aliases []string, defPort int, defSSL string, maxIdent int) *registry.Type {
	redshift := name == "sqlalchemy-redshift"
	required, optional := []string{"host", "user_name"}, append(slices.Clone(fields), awsFields...)
	if redshift {
		// Redshift Serverless names the user itself (checkAuth).
		required, optional = []string{"host"}, append(append(optional, "user_name"), redshiftFields...)
	}
	return &registry.Type{
		Name:        name,
		Aliases:     aliases,
		Driver:      "github.com/jackc/pgx/v5",
		DefaultPort: defPort,
		Required:    required,
		Optional:    optional,
		Secrets:     []string{"password"},
		Options:     options,
		Bind:        registry.Dollar,
		PingQuery:   "SELECT 1",
		Check: func(p registry.Params) error {
			if err := identifiers(p, maxIdent); err != nil {
				return err
			}
			if err := checkAuth(p, defSSL, redshift); err != nil {
				return err
			}
			return check(p)
		},
		Packages:        []string{"github.com/jackc/pgx", "github.com/lib/pq"},
		CredentialAuths: []string{AuthAWSIAM},
		AuthError:       authError,
		Dialect:         Dialect,
		Columns:         Columns,
		// DescribeQuery: NUMERIC(p,s) and VARCHAR(n) of a result, for vap copy --create.
		DescribeQuery: DescribeQuery,
		Connector: func(ctx context.Context, p registry.Params) (driver.Connector, error) {
			if err := identifiers(p, maxIdent); err != nil {
				return nil, err
			}
			if p.Get("auth_type") == AuthAWSIAM {
				// Checked when stored; checked again here so that no
				// minted token is ever sent where TLS may be skipped.
				if err := requireTLS(p, defSSL); err != nil {
					return nil, err
				}
			}
			return connector(p, defPort, defSSL)
		},
	}
}

func init() {
	registry.Register(PostgreSQL)
	registry.Register(Redshift)
}

// identifiers refuses a user or database name longer than the server keeps:
// the server would silently use its first maxIdent bytes, and echo them in
// its errors ("database "…" does not exist"), leaking most of a name that
// was stored encrypted.
func identifiers(p registry.Params, maxIdent int) error {
	for _, f := range []string{"user_name", "dbname"} {
		if len(p.Get(f)) > maxIdent {
			return &registry.FieldError{Type: p.Type(), Field: f, Reason: "is longer than " + strconv.Itoa(maxIdent) + " bytes, which the server would truncate"}
		}
	}
	return nil
}

// targetSessionAttrs are the values libpq and pgx accept.
var targetSessionAttrs = map[string]bool{"any": true, "read-write": true, "read-only": true, "primary": true, "standby": true, "prefer-standby": true}

// statementTimeout is a PostgreSQL duration: milliseconds, or a number with
// a unit. Compiled on first use, not at package init (a Flow's cold start).
var statementTimeout = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]+ ?(us|ms|s|min|h|d)?$`) })

// check refuses, when the connection is stored, every option pgx or the
// server would refuse at the first connect. Errors name the option, never
// its value.
func check(p registry.Params) error {
	bad := func(k, reason string) error {
		return &registry.FieldError{Type: p.Type(), Field: registry.OptionPrefix + k, Reason: reason}
	}
	opts := p.Options()
	for _, k := range slices.Sorted(maps.Keys(opts)) {
		if strings.ContainsFunc(opts[k], unicode.IsControl) {
			return bad(k, "must not contain control characters")
		}
	}
	if m, ok := opts["sslmode"]; ok && !sslmodes[m] {
		return bad("sslmode", "must be one of disable, allow, prefer, require, verify-ca, verify-full")
	}
	if v, ok := opts["connect_timeout"]; ok && !digits(v) {
		return bad("connect_timeout", "must be a whole number of seconds")
	}
	if v, ok := opts["target_session_attrs"]; ok && !targetSessionAttrs[v] {
		return bad("target_session_attrs", "must be one of any, read-write, read-only, primary, standby, prefer-standby")
	}
	if v, ok := opts["statement_timeout"]; ok && !statementTimeout().MatchString(v) {
		return bad("statement_timeout", "must be milliseconds, or a number with a unit (us, ms, s, min, h, d)")
	}
	// Whatever else pgx checks, on the options alone: no field of the
	// connection (a secret among them) takes part, and sslrootcert, a file
	// that may exist only where the connection is used, is left out. With
	// no options there is nothing to check: pgx parses only vap's pinned
	// keys (the connector parses them again when it is built).
	// The options checked above in full need no probe either: a probe
	// parses a pgx configuration, which reads the user's home and account
	// (a libc user lookup), and the connector does it again on every
	// process's first resolve.
	if !slices.ContainsFunc(slices.Collect(maps.Keys(opts)), needsProbe) {
		return nil
	}
	probe := map[string]string{"host": "localhost", "user_name": "vap"}
	for k, v := range opts {
		if k != "sslrootcert" {
			probe[registry.OptionPrefix+k] = v
		}
	}
	if _, err := probeConfig(registry.NewParams(p.Name(), p.Type(), probe), 5432, "disable"); err != nil {
		return &registry.FieldError{Type: p.Type(), Field: "options", Reason: "are refused by pgx (check sslmode, target_session_attrs and connect_timeout)"}
	}
	return nil
}

// selfChecked are the options check validates in full, whose every
// accepted value pgx accepts: sslmode and target_session_attrs against
// pgx's lists, and the session parameters pgx passes to the server as they
// are; sslrootcert is never probed (a file that may exist only where the
// connection is used). connect_timeout, which pgx parses into a duration,
// is probed.
var selfChecked = map[string]bool{"sslmode": true, "target_session_attrs": true, "application_name": true, "search_path": true, "statement_timeout": true, "sslrootcert": true}

func needsProbe(option string) bool { return !selfChecked[option] }

// probeConfig is Config, for check's probe; tests count its calls.
var probeConfig = Config

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// pinned are the connection-string keys pgconn would otherwise take from PG*
// environment variables, a service file or files under ~/.postgresql, with
// the values vap pins them to. Options may override the ssl ones. (service
// itself cannot be pinned: an empty service is read as a service name; every
// key it could set is pinned here, so a service file changes nothing.)
var pinned = map[string]string{
	"connect_timeout":      "10",
	"application_name":     "vap",
	"target_session_attrs": "any",
	"passfile":             "",
	"servicefile":          "",
	"sslkey":               "",
	"sslcert":              "",
	"sslrootcert":          "",
	"sslpassword":          "",
	"sslcertmode":          "allow",
	"sslsni":               "1",
	"sslnegotiation":       "postgres",
	"channel_binding":      "prefer",
	"require_auth":         "",
	"min_protocol_version": "3.0",
	"max_protocol_version": "3.0",
}

// runtimeOptions are the options sent to the server as session parameters.
var runtimeOptions = []string{"application_name", "search_path", "statement_timeout"}

// Config returns the pgx configuration for p. Exported for tests and for
// callers that want pgx natively. Nothing in it comes from the process
// environment: every key pgconn would read from PG* variables is pinned.
func Config(p registry.Params, defPort int, defSSL string) (*pgx.ConnConfig, error) {
	q := url.Values{}
	for k, v := range pinned {
		q.Set(k, v)
	}
	q.Set("sslmode", defSSL)
	opts := p.Options()
	for k, v := range opts {
		q.Set(k, v)
	}
	db := p.Get("dbname")
	if db == "" {
		db = p.Get("user_name") // the server's own default
	}
	// The database and user names stay out of the URL: pgx prints the URL
	// it parsed in its errors, and either may be a secret. They are set on
	// the parsed configuration below.
	u := url.URL{
		Scheme:   "postgres",
		Host:     net.JoinHostPort(p.Host(), strconv.Itoa(p.Port(defPort))),
		Path:     "/",
		RawQuery: q.Encode(),
	}
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		// The URL holds no credentials and no names; the error is not
		// wrapped, since pgconn.ParseConfigError exports ConnString. Options
		// in it that hold secrets are scrubbed by the caller.
		return nil, errors.New("postgres: invalid configuration: " + err.Error())
	}
	cfg.User = p.Get("user_name")
	cfg.Password = p.Get("password")
	cfg.Database = db
	// Session parameters are exactly vap's: PGOPTIONS and PGTZ become
	// "options" and "timezone" here otherwise.
	cfg.RuntimeParams = map[string]string{"application_name": pinned["application_name"]}
	for _, k := range runtimeOptions {
		if v, ok := opts[k]; ok {
			cfg.RuntimeParams[k] = v
		}
	}
	return cfg, nil
}

func connector(p registry.Params, defPort int, defSSL string) (driver.Connector, error) {
	cfg, err := Config(p, defPort, defSSL)
	if err != nil {
		return nil, err
	}
	return stdlib.GetConnector(*cfg), nil
}
