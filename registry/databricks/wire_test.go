package databricks_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vapsql/vap/registry/databricks"
)

const (
	pat          = "dapi-PAT-canary-0123456789"
	clientID     = "sp-client-id"
	clientSecret = "m2m-secret-canary-Ωx/+="
	apiKey       = "connect-api-key-canary"
	sessionToken = "content-session-token-canary"
)

// TestOpenSessionOnTheWire drives every auth_type through sql.Open("vap")
// style connectors to a loopback warehouse, and checks what it saw: the
// http_path, "Authorization: Bearer <token>", and a Thrift OpenSession with
// the catalog and schema.
func TestOpenSessionOnTheWire(t *testing.T) {
	tokenDir := t.TempDir()
	tokenFile := filepath.Join(tokenDir, "session-token")
	if err := os.WriteFile(tokenFile, []byte(sessionToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		extra     map[string]string
		env       func(ex *exchangeEndpoint) env
		wantToken string
		m2m, exch int64 // requests expected at the token and exchange endpoints
	}{
		{name: "pat explicit", extra: map[string]string{"auth_type": "pat", "access_token": pat}, wantToken: pat},
		{name: "pat inferred", extra: map[string]string{"access_token": pat}, wantToken: pat},
		{name: "oauth-m2m explicit", extra: map[string]string{"auth_type": "oauth-m2m", "client_id": clientID, "client_secret": clientSecret}, wantToken: "m2m-token-1", m2m: 1},
		{name: "oauth-m2m inferred", extra: map[string]string{"client_id": clientID, "client_secret": clientSecret}, wantToken: "m2m-token-1", m2m: 1},
		{name: "token-exchange on Connect, token file",
			extra: map[string]string{"auth_type": "token-exchange", "client_id": clientID, "client_secret": clientSecret},
			env: func(ex *exchangeEndpoint) env {
				return env{"CONNECT_SERVER": ex.srv.URL + "/", "CONNECT_API_KEY": apiKey, "CONNECT_CONTENT_SESSION_TOKEN_FILE": tokenFile}
			}, wantToken: "exchanged-token-1", exch: 1},
		{name: "token-exchange on Connect, token variable",
			extra: map[string]string{"auth_type": "token-exchange"},
			env: func(ex *exchangeEndpoint) env {
				return env{"CONNECT_SERVER": ex.srv.URL, "CONNECT_API_KEY": apiKey, "CONNECT_CONTENT_SESSION_TOKEN": sessionToken}
			}, wantToken: "exchanged-token-1", exch: 1},
		{name: "token-exchange off Connect falls back to m2m",
			extra: map[string]string{"auth_type": "token-exchange", "client_id": clientID, "client_secret": clientSecret},
			env: func(ex *exchangeEndpoint) env {
				return env{"CONNECT_SERVER": ex.srv.URL} // no API key, no session token
			}, wantToken: "m2m-token-1", m2m: 1},
		{name: "token-exchange off Connect falls back to pat",
			extra: map[string]string{"auth_type": "token-exchange", "access_token": pat}, wantToken: pat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWarehouse(t)
			te := newTokenEndpoint(t, clientID, clientSecret)
			ex := newExchange(t, apiKey, sessionToken)
			e := env{}
			if tc.env != nil {
				e = tc.env(ex)
			}
			f := fields(w, tc.extra)
			f["catalog"], f["schema"] = "main", "sales"
			if _, ok := f["client_id"]; ok {
				f["token_endpoint"] = te.srv.URL + "/oidc/v1/token"
			}
			db := open(t, "dbx "+tc.name, f, databricks.WithLookupEnv(e.lookup))
			if err := connect(t, db); err != nil {
				t.Fatalf("connect: %v", err)
			}
			opens := w.opens()
			if len(opens) != 1 {
				t.Fatalf("warehouse saw %d OpenSession calls (all: %+v)", len(opens), w.all())
			}
			o := opens[0]
			if o.Path != httpPath {
				t.Errorf("path = %q, want %q", o.Path, httpPath)
			}
			if o.Auth != "Bearer "+tc.wantToken {
				t.Errorf("Authorization is not Bearer %s", tc.wantToken) // the header itself may hold a secret
			}
			if o.Call.Catalog != "main" || o.Call.Schema != "sales" {
				t.Errorf("initial namespace = %q.%q", o.Call.Catalog, o.Call.Schema)
			}
			for _, s := range w.all() {
				if s.Path != httpPath {
					t.Errorf("warehouse saw a request to %q (telemetry or feature flags must stay local)", s.Path)
				}
			}
			if got := te.n.Load(); got != tc.m2m {
				t.Errorf("token endpoint requests = %d, want %d", got, tc.m2m)
			}
			if got := ex.n.Load(); got != tc.exch {
				t.Errorf("exchange requests = %d, want %d", got, tc.exch)
			}
			if p := append(te.problems(), ex.problems()...); len(p) > 0 {
				t.Errorf("endpoints saw bad requests: %v", p)
			}
		})
	}
}

// TestTokenCacheOnTheWire: N concurrent connects fetch one token, shared by
// every session; once the clock passes the token's expiry the next
// connection fetches a new one and the warehouse sees it.
func TestTokenCacheOnTheWire(t *testing.T) {
	const n = 12
	w := newWarehouse(t)
	te := newTokenEndpoint(t, clientID, clientSecret)
	te.delay = 100 * time.Millisecond // let the askers pile up; correctness does not depend on it
	clk := &clock{t: time.Now()}
	db := open(t, "dbx cache", fields(w, map[string]string{"client_id": clientID, "client_secret": clientSecret,
		"token_endpoint": te.srv.URL + "/oidc/v1/token"}), databricks.WithClock(clk.now))
	db.SetMaxIdleConns(0) // every Conn is a new physical connection
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := connect(t, db); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("connect: %v", err)
	}
	if got := te.n.Load(); got != 1 {
		t.Fatalf("%d concurrent connects made %d token requests, want 1", n, got)
	}
	if got := len(w.opens()); got != n {
		t.Fatalf("warehouse saw %d sessions, want %d", got, n)
	}
	for _, s := range w.opens() {
		if s.Auth != "Bearer m2m-token-1" {
			t.Fatal("a session did not use the shared token")
		}
	}

	clk.add(30 * time.Minute) // well inside the hour
	if err := connect(t, db); err != nil {
		t.Fatal(err)
	}
	if got := te.n.Load(); got != 1 {
		t.Fatalf("a valid token was fetched again (%d requests)", got)
	}

	clk.add(31 * time.Minute) // past the expiry (3600 s)
	if err := connect(t, db); err != nil {
		t.Fatal(err)
	}
	if got := te.n.Load(); got != 2 {
		t.Fatalf("an expired token did not cause a new request (%d requests)", got)
	}
	opens := w.opens()
	if last := opens[len(opens)-1]; last.Auth != "Bearer m2m-token-2" {
		t.Fatal("the session after expiry did not use the new token")
	}
}
