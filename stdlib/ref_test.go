package stdlib_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/postgres"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

// fakeClock is a credential cache clock the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// countingResolver is registered as the scheme "count-test": "count-test:X"
// resolves to the value set for X, counting calls, with the lifetime set.
type countingResolver struct {
	mu       sync.Mutex
	values   map[string]string
	lifetime map[string]time.Duration
	calls    atomic.Int64
	gate     chan struct{} // when not nil, Resolve waits for it
}

func (r *countingResolver) Resolve(ctx context.Context, ref string) (credential.Secret, error) {
	r.calls.Add(1)
	r.mu.Lock()
	gate := r.gate
	r.mu.Unlock()
	if gate != nil {
		<-gate
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.values[ref]
	if !ok {
		return credential.Secret{}, fmt.Errorf("count-test: no value for %s", ref)
	}
	return credential.Secret{Value: v, ConnLifetime: r.lifetime[ref]}, nil
}

func (r *countingResolver) set(ref, v string, life time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.values[ref], r.lifetime[ref] = v, life
}

var counting = &countingResolver{values: map[string]string{}, lifetime: map[string]time.Duration{}}

func init() { credential.RegisterResolver("count-test", counting) }

// privatePG starts a private cluster that checks scram-sha-256 passwords
// and creates a login role with password pw.
func privatePG(t *testing.T, pw string) (p *testenv.PrivatePostgres, role string, admin *sql.DB) {
	t.Helper()
	p = testenv.StartPrivatePostgres(t)
	admin = p.Admin(t)
	role = uniq("vap_ref_")
	if _, err := admin.Exec(fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD %s", role, pgLiteral(pw))); err != nil {
		t.Fatal(err)
	}
	return p, role, admin
}

// putRef stores a postgresql connection to the private cluster whose
// password is the reference ref.
func putRef(t *testing.T, st *store.Store, name string, p *testenv.PrivatePostgres, role, ref string) {
	t.Helper()
	c := &store.Connection{Name: name, Type: "postgresql"}
	c.Set("host", "127.0.0.1", false)
	c.Set("port", strconv.Itoa(p.Port), false)
	c.Set("user_name", role, false)
	c.Set("dbname", "postgres", false)
	c.Set("options.sslmode", "disable", false)
	c.SetRef("password", ref)
	if err := st.Create(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

// forms are the ways a secret could leak into a message.
func forms(s string) []string {
	q := strconv.Quote(s)
	return []string{s, q[1 : len(q)-1], url.QueryEscape(s), url.PathEscape(s), base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s)), s[:len(s)-2]}
}

func noSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, f := range forms(s) {
			if strings.Contains(err.Error(), f) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), f) {
				t.Fatalf("error holds a secret in the form %q: %v", f, err)
			}
		}
	}
}

func currentUser(ctx context.Context, db *sql.DB) (string, error) {
	var who string
	err := db.QueryRowContext(ctx, "SELECT current_user").Scan(&who)
	return who, err
}

// TestRefEnvFileScram proves, on a PostgreSQL cluster that checks
// scram-sha-256 passwords, that the value of an env: and a file: reference
// is what reaches the server (through sql.Open("vap", name)), that a wrong
// or missing value fails with the step named and no secret in the error,
// and that a changed file is read again once the cache's TTL has passed
// (fake clock) while the cached value serves until then.
func TestRefEnvFileScram(t *testing.T) {
	const pw = "Ref-pw-7f3e!x9Q"
	p, role, admin := privatePG(t, pw)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	t.Run("env through sql.Open", func(t *testing.T) {
		st := stdlib.DefaultStore()
		name := uniq("ref-env-")
		envVar := "VAP_TEST_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		putRef(t, st, name, p, role, "env:"+envVar)
		t.Cleanup(func() { st.Delete(context.Background(), name) })

		// Unset: the reference step fails, naming the variable.
		db, err := sql.Open("vap", name)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		_, err = currentUser(ctx, db)
		var ce *stdlib.ConnectError
		if !errors.As(err, &ce) || ce.Op != stdlib.OpRef || !strings.Contains(err.Error(), envVar+" is not set") {
			t.Fatalf("unset variable: %v", err)
		}
		// Wrong: the server refuses, the wrong value is nowhere in the error.
		const wrong = "Wrong-pw-0a1b2c3d"
		t.Setenv(envVar, wrong)
		db2, _ := sql.Open("vap", name)
		defer db2.Close()
		_, err = currentUser(ctx, db2)
		if !errors.As(err, &ce) || ce.Op != stdlib.OpConnect || !strings.Contains(err.Error(), "28P01") {
			t.Fatalf("wrong password: %v", err)
		}
		noSecret(t, err, wrong, pw)
		// Right: the server accepts it, once the cached wrong value is
		// dropped (it would otherwise serve for the cache's TTL).
		t.Setenv(envVar, pw)
		credential.DefaultCache.Forget("env:" + envVar)
		db3, _ := sql.Open("vap", name)
		defer db3.Close()
		if who, err := currentUser(ctx, db3); err != nil || who != role {
			t.Fatalf("right password: %q %v", who, err)
		}
	})

	t.Run("file rotated after TTL", func(t *testing.T) {
		st := testenv.Store(t)
		dir := t.TempDir()
		path := filepath.Join(dir, "pgpass")
		if err := os.WriteFile(path, []byte(pw+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		putRef(t, st, "ref-file", p, role, "file:"+path)
		clock := newFakeClock()
		cc := credential.NewCache(credential.WithTTL(10*time.Minute), credential.WithClock(clock.Now))
		conn, err := stdlib.NewConnector("ref-file", stdlib.WithStore(st), stdlib.WithCredentialCache(cc))
		if err != nil {
			t.Fatal(err)
		}
		db := sql.OpenDB(conn)
		defer db.Close()
		db.SetMaxIdleConns(0) // every query a new physical connection

		// Group-readable: refused, the mode named.
		_, err = currentUser(ctx, db)
		var ce *stdlib.ConnectError
		if !errors.As(err, &ce) || ce.Op != stdlib.OpRef || !strings.Contains(err.Error(), "mode 0644") {
			t.Fatalf("group-readable file: %v", err)
		}
		if err := os.Chmod(path, 0o600); err != nil {
			t.Fatal(err)
		}
		if who, err := currentUser(ctx, db); err != nil || who != role {
			t.Fatalf("file password: %q %v", who, err)
		}
		fetched := cc.Fetches()
		// Rotate: the server and the file get a new password.
		const pw2 = "Rotated-pw-5d6e7f8a"
		if _, err := admin.Exec(fmt.Sprintf("ALTER ROLE %s PASSWORD %s", role, pgLiteral(pw2))); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec(fmt.Sprintf("ALTER ROLE %s PASSWORD %s", role, pgLiteral(pw))) })
		if err := os.WriteFile(path, []byte(pw2+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		// Within the TTL the cached, now old, password is used: refused.
		_, err = currentUser(ctx, db)
		if !errors.As(err, &ce) || ce.Op != stdlib.OpConnect || !strings.Contains(err.Error(), "28P01") {
			t.Fatalf("cached old password: %v", err)
		}
		noSecret(t, err, pw, pw2)
		// Past the TTL the file is read again and the connector rebuilt.
		clock.Advance(11 * time.Minute)
		if who, err := currentUser(ctx, db); err != nil || who != role {
			t.Fatalf("rotated password: %q %v", who, err)
		}
		if n := cc.Fetches() - fetched; n != 1 {
			t.Fatalf("file read %d times after the first success, want 1 (once per TTL)", n)
		}
	})
}

// TestRefConcurrentConnects: 32 connects at once on a connection whose
// password is a reference resolve it once, and all 32 reach the server
// with it.
func TestRefConcurrentConnects(t *testing.T) {
	testenv.Postgres(t)
	st := testenv.Store(t)
	c := &store.Connection{Name: "ref-32", Type: "postgresql"}
	for k, v := range map[string]string{"host": "127.0.0.1", "user_name": "root", "dbname": "test", "options.sslmode": "disable"} {
		c.Set(k, v, false)
	}
	key := uniq("k32")
	c.SetRef("password", "count-test:"+key)
	if err := st.Create(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	counting.set(key, "any-password-trust-ignores", 0)
	cc := credential.NewCache()
	conn, err := stdlib.NewConnector("ref-32", stdlib.WithStore(st), stdlib.WithCredentialCache(cc))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	gate := make(chan struct{})
	counting.mu.Lock()
	counting.gate = gate
	counting.mu.Unlock()
	defer func() {
		counting.mu.Lock()
		counting.gate = nil
		counting.mu.Unlock()
	}()
	before := counting.calls.Load()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	conns := make(chan driver.Conn, 32)
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dc, err := conn.Connect(ctx)
			if err != nil {
				errs <- err
				return
			}
			conns <- dc
		}()
	}
	// The first caller is inside the resolver; let it finish once the
	// others had every chance to queue behind it.
	for counting.calls.Load() == before {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(gate)
	wg.Wait()
	close(errs)
	close(conns)
	for err := range errs {
		t.Fatal(err)
	}
	n := 0
	for dc := range conns {
		dc.Close()
		n++
	}
	if got := counting.calls.Load() - before; got != 1 || cc.Fetches() != 1 || n != 32 {
		t.Fatalf("%d connections, %d resolutions (cache fetched %d), want 32 and 1", n, got, cc.Fetches())
	}
}

// TestRefConnLifetime: a physical connection made with a secret whose
// ConnLifetime is bounded leaves the pool once that lifetime has passed
// (fake clock): the next query runs on a new server backend, and the old
// backend is gone from the server. Without a lifetime the pool keeps its
// connection, returned unwrapped.
func TestRefConnLifetime(t *testing.T) {
	admin := testenv.Postgres(t)
	st := testenv.Store(t)
	key := uniq("life")
	for _, name := range []string{"ref-life", "ref-nolife"} {
		c := &store.Connection{Name: name, Type: "postgresql"}
		for k, v := range map[string]string{"host": "127.0.0.1", "user_name": "root", "dbname": "test", "options.sslmode": "disable"} {
			c.Set(k, v, false)
		}
		k := key + name
		c.SetRef("password", "count-test:"+k)
		if err := st.Create(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		life := time.Hour
		if name == "ref-nolife" {
			life = 0
		}
		counting.set(k, "trust-ignores-it", life)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pid := func(db *sql.DB) int {
		t.Helper()
		var n int
		if err := db.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, name := range []string{"ref-life", "ref-nolife"} {
		t.Run(name, func(t *testing.T) {
			clock := newFakeClock()
			cc := credential.NewCache(credential.WithClock(clock.Now), credential.WithTTL(24*time.Hour))
			conn, err := stdlib.NewConnector(name, stdlib.WithStore(st), stdlib.WithCredentialCache(cc))
			if err != nil {
				t.Fatal(err)
			}
			db := sql.OpenDB(conn)
			defer db.Close()
			db.SetMaxOpenConns(1)
			p1 := pid(db)
			if p := pid(db); p != p1 {
				t.Fatalf("the pool did not reuse its connection: %d then %d", p1, p)
			}
			wrapped := false
			c, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			c.Raw(func(dc any) error {
				_, wrapped = dc.(interface{ Unwrap() driver.Conn })
				if registry.Default.ForDriver(dc) != postgres.PostgreSQL {
					t.Error("ForDriver does not see through the wrapper")
				}
				return nil
			})
			c.Close()
			clock.Advance(61 * time.Minute)
			p2 := pid(db)
			if name == "ref-nolife" {
				if wrapped || p2 != p1 {
					t.Fatalf("no lifetime: wrapped %v, backend %d then %d", wrapped, p1, p2)
				}
				return
			}
			if !wrapped || p2 == p1 {
				t.Fatalf("lifetime of an hour, 61 minutes later: wrapped %v, backend %d then %d", wrapped, p1, p2)
			}
			// The retired backend leaves the server (its exit is
			// asynchronous: wait for it, the test's deadline bounds the wait).
			for {
				var n int
				if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", p1).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					break
				}
				if ctx.Err() != nil {
					t.Fatal("the retired backend is still on the server")
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}
