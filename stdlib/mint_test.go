package stdlib_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/postgres"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

// fakeAuth mints {"password": current} valid for life (stamped on the
// real clock, as a token endpoint does), counting mints; fail, when set,
// is its error, quoting the connection's fields as a careless SDK might.
type fakeAuth struct {
	mu      sync.Mutex
	current string
	life    time.Duration
	fail    bool
	mints   atomic.Int64
}

func (a *fakeAuth) Mint(ctx context.Context, p registry.Params) (credential.Minted, error) {
	a.mints.Add(1)
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fail {
		return credential.Minted{}, fmt.Errorf("token endpoint refused role %s with password %s", p.Get("role_arn"), p.Get("password"))
	}
	return credential.Minted{Fields: map[string]string{"password": a.current}, Expires: time.Now().Add(a.life)}, nil
}

func (a *fakeAuth) set(pw string, fail bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.current, a.fail = pw, fail
}

// connectorAuth builds the real connector itself with a password of its
// own, as azure-ad's go-mssqldb connector mints its own tokens.
type connectorAuth struct {
	pw    string
	built atomic.Int64
}

func (a *connectorAuth) Mint(context.Context, registry.Params) (credential.Minted, error) {
	return credential.Minted{}, errors.New("Mint must not be called on a ConnectorAuth")
}

func (a *connectorAuth) Connector(ctx context.Context, p registry.Params) (driver.Connector, error) {
	a.built.Add(1)
	m := map[string]string{}
	for _, k := range p.Keys() {
		m[k] = p.Get(k)
	}
	m["password"] = a.pw
	return postgres.PostgreSQL.Connector(ctx, registry.NewParams(p.Name(), p.Type(), m))
}

var (
	mintAuth = &fakeAuth{life: 10 * time.Minute}
	connAuth = &connectorAuth{}
)

func init() {
	credential.RegisterAuth("test-mint", mintAuth, "postgresql")
	credential.RegisterAuth("test-connector", connAuth, "postgresql")
}

// mintRegistry is a registry whose postgresql type mints the test auth
// types, as registry/postgres lists aws-iam once credential/awsiam exists.
func mintRegistry() *registry.Registry {
	t := *postgres.PostgreSQL
	t.Optional = append(append([]string{}, t.Optional...), "auth_type", "role_arn")
	t.CredentialAuths = []string{"test-mint", "test-connector"}
	r := &registry.Registry{}
	r.Register(&t)
	return r
}

// TestMintScram: the password an auth_type mints reaches a server that
// checks scram-sha-256 passwords; it is minted once for many connections,
// minted again before it expires (fake clock), and a failed mint names
// the step and holds no secret. A ConnectorAuth's connector is used as is.
func TestMintScram(t *testing.T) {
	const pwA = "Minted-A-9f8e7d6c"
	p, role, admin := privatePG(t, pwA)
	reg := mintRegistry()
	home := t.TempDir()
	st := store.Open(store.WithHome(home), store.WithRegistry(reg), store.WithoutEnvOverrides())
	t.Cleanup(func() { st.Close() })
	put := func(name, authType string, ref string) {
		c := &store.Connection{Name: name, Type: "postgresql"}
		for k, v := range map[string]string{"host": "127.0.0.1", "port": strconv.Itoa(p.Port), "user_name": role, "dbname": "postgres", "options.sslmode": "disable", "auth_type": authType, "role_arn": "arn:aws:iam::123456789012:role/app"} {
			c.Set(k, v, false)
		}
		if ref != "" {
			c.SetRef("password", ref)
		}
		if err := st.Create(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	put("minted", "test-mint", "")
	clock := newFakeClock()
	cc := credential.NewCache(credential.WithClock(clock.Now))
	open := func(name string) *sql.DB {
		c, err := stdlib.NewConnector(name, stdlib.WithStore(st), stdlib.WithRegistry(reg), stdlib.WithCredentialCache(cc))
		if err != nil {
			t.Fatal(err)
		}
		db := sql.OpenDB(c)
		t.Cleanup(func() { db.Close() })
		db.SetMaxIdleConns(0) // every query a new physical connection
		return db
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	mintAuth.set(pwA, false)
	before := mintAuth.mints.Load()
	db := open("minted")
	for range 3 {
		if who, err := currentUser(ctx, db); err != nil || who != role {
			t.Fatalf("minted password: %q %v", who, err)
		}
	}
	if n := mintAuth.mints.Load() - before; n != 1 {
		t.Fatalf("3 connections minted %d times, want 1", n)
	}
	// The token is rotated on the server; 9 minutes in (the 10-minute
	// token is due for refresh a minute before its end), a new one is
	// minted and used.
	const pwB = "Minted-B-1a2b3c4d"
	if _, err := admin.Exec(fmt.Sprintf("ALTER ROLE %s PASSWORD %s", role, pgLiteral(pwB))); err != nil {
		t.Fatal(err)
	}
	mintAuth.set(pwB, false)
	_, err := currentUser(ctx, db)
	var ce *stdlib.ConnectError
	if !errors.As(err, &ce) || ce.Op != stdlib.OpConnect || !strings.Contains(err.Error(), "28P01") {
		t.Fatalf("the cached token, refused by the server: %v", err)
	}
	noSecret(t, err, pwA, pwB)
	clock.Advance(9*time.Minute + time.Second)
	if who, err := currentUser(ctx, db); err != nil || who != role {
		t.Fatalf("re-minted password: %q %v", who, err)
	}
	if n := mintAuth.mints.Load() - before; n != 2 {
		t.Fatalf("minted %d times, want 2", n)
	}

	t.Run("mint fails", func(t *testing.T) {
		key := uniq("mintref")
		const refSecret = "Ref-secret-5e6f7a8b9c"
		counting.set(key, refSecret, 0)
		put("mint-fails", "test-mint", "count-test:"+key)
		mintAuth.set("", true)
		defer mintAuth.set(pwB, false)
		_, err := currentUser(ctx, open("mint-fails"))
		var ce *stdlib.ConnectError
		if !errors.As(err, &ce) || ce.Op != stdlib.OpMint || !strings.Contains(err.Error(), "token endpoint refused") {
			t.Fatalf("mint error: %v", err)
		}
		noSecret(t, err, refSecret)
	})

	t.Run("connector auth", func(t *testing.T) {
		connAuth.pw = pwB
		put("conn-auth", "test-connector", "")
		if who, err := currentUser(ctx, open("conn-auth")); err != nil || who != role {
			t.Fatalf("ConnectorAuth: %q %v", who, err)
		}
		if connAuth.built.Load() != 1 {
			t.Fatalf("ConnectorAuth built %d connectors, want 1", connAuth.built.Load())
		}
	})

	t.Run("not linked", func(t *testing.T) {
		r2 := mintRegistry()
		r2.Lookup("postgresql").CredentialAuths = append(r2.Lookup("postgresql").CredentialAuths, "aws-iam")
		st2 := store.Open(store.WithHome(t.TempDir()), store.WithRegistry(r2), store.WithoutEnvOverrides())
		defer st2.Close()
		c := &store.Connection{Name: "iam", Type: "postgresql"}
		for k, v := range map[string]string{"host": "db.example", "user_name": "app", "auth_type": "aws-iam", "options.sslmode": "require"} { // registry/postgres: aws-iam requires TLS
			c.Set(k, v, false)
		}
		if err := st2.Create(ctx, c); err != nil {
			t.Fatalf("storing an auth_type this program does not link: %v", err)
		}
		if _, err := credential.LookupAuth("aws-iam", "postgresql"); err == nil {
			t.Skip("aws-iam is linked into this test")
		}
		_, err := stdlib.NewConnector("iam", stdlib.WithStore(st2), stdlib.WithRegistry(r2))
		var ce *stdlib.ConnectError
		if !errors.As(err, &ce) || ce.Op != stdlib.OpMint || !strings.Contains(err.Error(), "credential/awsiam") {
			t.Fatalf("not linked: %v", err)
		}
	})
}
