package hub_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vapsql/vap/internal/hubwire"
	"github.com/vapsql/vap/internal/testenv"
	_ "github.com/vapsql/vap/registry/postgres"
	_ "github.com/vapsql/vap/registry/sqlite"
	"github.com/vapsql/vap/server/hubserver"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/hub"
	"github.com/vapsql/vap/store/keyset"
	"github.com/vapsql/vap/store/postgres"
)

const hubToken = "hub-token-canary-7c1e"

// pgStoreURL returns a store URL on a fresh schema of the test PostgreSQL
// server, dropped when t ends.
func pgStoreURL(t *testing.T) string {
	t.Helper()
	admin := testenv.Postgres(t)
	u, err := url.Parse(testenv.PostgresURL())
	if err != nil {
		t.Fatal("the test PostgreSQL URL does not parse")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "vap_test_" + hex.EncodeToString(b[:])
	q := u.Query()
	q.Set("schema", schema)
	u.RawQuery = q.Encode()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
	})
	return u.String()
}

// fixture is a PostgreSQL store, an admin Store on it holding the keyset,
// and a hub (no keyset) serving it over HTTP.
type fixture struct {
	storeURL string
	keyset   *keyset.Keyset
	admin    *store.Store
	backend  *postgres.Backend
	hub      *hubserver.Hub
	srv      *httptest.Server
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{storeURL: pgStoreURL(t)}
	var err error
	if f.keyset, err = store.NewKeyset(); err != nil {
		t.Fatal(err)
	}
	f.admin = store.Open(store.WithURL(f.storeURL), store.WithKeyset(f.keyset), store.WithoutEnvOverrides())
	t.Cleanup(func() { f.admin.Close() })
	// Create the schema before the hub opens it.
	if _, err := f.admin.List(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f.backend, err = postgres.Open(context.Background(), f.storeURL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.backend.Close() })
	if f.hub, err = hubserver.New(hubserver.Config{Backend: f.backend, Token: hubToken, Heartbeat: 200 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(f.hub)
	t.Cleanup(func() {
		f.hub.Close()
		f.srv.Close()
	})
	return f
}

// hubURL is the store URL of the hub at addr (host:port).
func hubURL(addr string) string { return "vap+http://" + addr }

// client returns a Store reading through the hub at addr, with keyset h
// and the hub token in VAP_HUB_TOKEN (the first Resolve opens the backend,
// which reads it then).
func client(t *testing.T, addr string, h *keyset.Keyset, token string) *store.Store {
	t.Helper()
	// The backend reads the token from the process environment.
	t.Setenv(hub.EnvToken, token)
	st := store.Open(store.WithURL(hubURL(addr)), store.WithKeyset(h), store.WithoutEnvOverrides())
	t.Cleanup(func() { st.Close() })
	return st
}

func put(t *testing.T, st *store.Store, name, secret string) {
	t.Helper()
	c := &store.Connection{Name: name, Type: "postgresql"}
	c.Set("host", "db.internal", false)
	c.Set("user_name", "flow", false)
	c.Set("dbname", "flow", false)
	c.Set("password", secret, true)
	if err := st.Create(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

// The hub serves the record as stored: the secret sealed, byte for byte
// the store's ciphertext, never the plaintext; a process with the keyset
// opens it, one without cannot.
func TestHubServesSealedRecords(t *testing.T) {
	f := newFixture(t)
	const secret = "pw-canary-b7Q2xZ9k"
	put(t, f.admin, "orders", secret)
	stored, err := f.backend.Get(context.Background(), "orders")
	if err != nil {
		t.Fatal(err)
	}

	req, _ := http.NewRequest("GET", f.srv.URL+hubwire.PathGet+"?name=orders", nil)
	req.Header.Set("Authorization", "Bearer "+hubToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", hubwire.PathGet, resp.StatusCode, body)
	}
	if strings.Contains(string(body), secret) {
		t.Fatalf("the hub's answer holds the plaintext secret: %s", body)
	}
	if ct := stored.Fields["password"].Value; !stored.Fields["password"].Secret || !strings.Contains(string(body), ct) {
		t.Fatalf("the hub's answer does not carry the stored ciphertext: %s", body)
	}

	st := client(t, f.srv.Listener.Addr().String(), f.keyset, hubToken)
	c, err := st.Resolve(context.Background(), "orders")
	if err != nil {
		t.Fatal(err)
	}
	if c.Fields["password"].Value != secret || c.Fields["host"].Value != "db.internal" {
		t.Fatalf("resolved through the hub: %v", c.Fields)
	}
	list, err := st.List(context.Background())
	if err != nil || len(list) != 1 || list[0].Name != "orders" {
		t.Fatalf("List through the hub: %v %v", list, err)
	}

	other, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client(t, f.srv.Listener.Addr().String(), other, hubToken).Resolve(context.Background(), "orders"); !errors.Is(err, store.ErrDecrypt) {
		t.Fatalf("another keyset through the hub: %v, want a decrypt error", err)
	}
	if _, err := st.Resolve(context.Background(), "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a missing name through the hub: %v, want ErrNotFound", err)
	}
	c.Set("host", "db2.internal", false)
	if err := st.Update(context.Background(), c); !errors.Is(err, hub.ErrReadOnly) {
		t.Fatalf("Update through the hub: %v, want ErrReadOnly", err)
	}
}

// Names of any UTF-8 (NUL, spaces, slashes, query syntax) travel intact.
func TestHubOddNames(t *testing.T) {
	f := newFixture(t)
	st := client(t, f.srv.Listener.Addr().String(), f.keyset, hubToken)
	for _, name := range []string{"a/b?c=d&e#f", "with space", "ünï", "a+b%20c"} {
		put(t, f.admin, name, "s3cret-value-1")
		c, err := st.Resolve(context.Background(), name)
		if err != nil || c.Name != name {
			t.Fatalf("Resolve(%q) through the hub: %v %v", name, c, err)
		}
	}
}

// A change committed after Watch returns reaches the watch, named.
func TestHubWatch(t *testing.T) {
	f := newFixture(t)
	put(t, f.admin, "orders", "pw-1-aaaaaaaa")
	b := openBackend(t, f.srv.Listener.Addr().String(), hubToken)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := b.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.admin.Get(context.Background(), "orders")
	if err != nil {
		t.Fatal(err)
	}
	v0, err := b.Version(context.Background(), "orders")
	if err != nil {
		t.Fatal(err)
	}
	c.Set("host", "moved.internal", false)
	if err := f.admin.Update(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	// Reports may be spurious (the insert's may come late): read them until
	// the version moved. The hub forgets what it cached before it tells
	// anyone, so the report of the update is followed by the new version.
	timeout := time.After(30 * time.Second)
	for {
		select {
		case name, ok := <-ch:
			if !ok || (name != "orders" && name != "") {
				t.Fatalf("watch reported %q (open %v), want orders", name, ok)
			}
		case <-timeout:
			t.Fatal("the new version was not reported in 30 s")
		}
		v, err := b.Version(context.Background(), "orders")
		if err != nil {
			t.Fatal(err)
		}
		if v == v0+1 {
			return
		}
	}
}

// When the hub's own watch on the store ends (its LISTEN session is
// killed), every stream ends too, so no process trusts a cache the hub can
// no longer keep fresh; a new watch then reports changes again.
func TestHubStreamEndsWithItsWatch(t *testing.T) {
	f := newFixture(t)
	put(t, f.admin, "orders", "pw-1-aaaaaaaa")
	b := openBackend(t, f.srv.Listener.Addr().String(), hubToken)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := b.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	admin := testenv.Postgres(t)
	if _, err := admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, postgres.WatchApplicationName(f.backend.Schema())); err != nil {
		t.Fatal(err)
	}
	for ok := true; ok; {
		select {
		case _, ok = <-ch:
		case <-time.After(30 * time.Second):
			t.Fatal("the stream is still open 30 s after the hub's watch was killed")
		}
	}
	var ch2 <-chan string
	for i := 0; ; i++ {
		if ch2, err = b.Watch(ctx); err == nil {
			break
		}
		if !errors.Is(err, store.ErrUnavailable) || i > 100 {
			t.Fatalf("watching again: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	c, _ := f.admin.Get(context.Background(), "orders")
	c.Set("host", "moved.internal", false)
	if err := f.admin.Update(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	select {
	case _, ok := <-ch2:
		if !ok {
			t.Fatal("the new stream ended instead of reporting the change")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no change reported on the new stream in 30 s")
	}
}

func openBackend(t *testing.T, addr, token string) *hub.Backend {
	t.Helper()
	u, _ := url.Parse(hubURL(addr))
	b, err := hub.Open(u, func(k string) (string, bool) { return token, k == hub.EnvToken })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// A wrong token, a token in the URL, a hub that is down: clear errors,
// none holding the token in any form.
func TestHubErrorsHoldNoToken(t *testing.T) {
	f := newFixture(t)
	put(t, f.admin, "orders", "pw-1-aaaaaaaa")
	addr := f.srv.Listener.Addr().String()
	const wrong = "wrong-token-canary-55Xq"
	check := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: no error", what)
		}
		for _, tok := range []string{hubToken, wrong} {
			for _, form := range []string{tok, url.QueryEscape(tok), hex.EncodeToString([]byte(tok)), tok[:10]} {
				if strings.Contains(err.Error(), form) {
					t.Fatalf("%s: the error holds the token: %v", what, err)
				}
			}
		}
	}
	st := client(t, addr, f.keyset, wrong)
	_, err := st.Resolve(context.Background(), "orders")
	check("wrong token", err)
	if !strings.Contains(err.Error(), "refused the token") || errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("wrong token: %v, want a refusal that is not retried", err)
	}

	// The token in the URL's password works, and stays out of errors.
	t.Setenv(hub.EnvToken, "")
	env := func(string) (string, bool) { return "", false }
	good := store.Open(store.WithURL("vap+http://:"+hubToken+"@"+addr), store.WithKeyset(f.keyset), store.WithLookupEnv(env))
	defer good.Close()
	if _, err := good.Resolve(context.Background(), "orders"); err != nil {
		t.Fatalf("token in the URL: %v", err)
	}
	_, err = good.Resolve(context.Background(), "missing")
	check("missing name", err)
	bad := store.Open(store.WithURL("vap+http://:"+wrong+"@"+addr), store.WithKeyset(f.keyset), store.WithLookupEnv(env))
	defer bad.Close()
	_, err = bad.Resolve(context.Background(), "orders")
	check("wrong token in the URL", err)

	// No token at all.
	none := store.Open(store.WithURL(hubURL(addr)), store.WithKeyset(f.keyset), store.WithLookupEnv(env))
	defer none.Close()
	if _, err := none.Resolve(context.Background(), "orders"); err == nil || !strings.Contains(err.Error(), hub.EnvToken) {
		t.Fatalf("no token: %v, want an error naming %s", err, hub.EnvToken)
	}

	// A hub that is down: unavailable, retried until the deadline, then a
	// clear error.
	f.srv.Close()
	down := store.Open(store.WithURL("vap+http://:"+hubToken+"@"+addr), store.WithKeyset(f.keyset), store.WithLookupEnv(env))
	defer down.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = down.Resolve(ctx, "orders")
	check("hub down", err)
	if !errors.Is(err, store.ErrUnavailable) || !strings.Contains(err.Error(), "tried") {
		t.Fatalf("hub down: %v, want ErrUnavailable after retries", err)
	}
}

// Bad store URLs are refused with errors that do not repeat the token.
func TestOpenRefusesBadURLs(t *testing.T) {
	for _, raw := range []string{
		"vap+ftp://:tok-canary-123@h:1",
		"vap+http://:tok-canary-123@h:1?timeout=1ns",
		"vap+http://:tok-canary-123@h:1?timeout=later",
		"vap+http://:tok-canary-123@h:1?sslmode=disable",
		"vap+http://:tok-canary-123@h:1?ca_file=/nonexistent/ca.pem",
		"vap+http://h:1?token_file=/nonexistent/token",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		_, err = hub.Open(u, func(string) (string, bool) { return "", false })
		if err == nil || strings.Contains(err.Error(), "tok-canary-123") {
			t.Errorf("Open(%s) = %v; want an error without the token", backend.RedactURL(raw), err)
		}
	}
}
