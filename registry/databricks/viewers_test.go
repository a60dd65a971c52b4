package databricks_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vapsql/vap/peer/dbsqlpeer"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/databricks"
	"github.com/vapsql/vap/registry/databricks/credentials"
)

// Viewers' user session tokens, as Posit Connect puts them in the
// Posit-Connect-User-Session-Token header.
const (
	aliceSession   = "user-session-alice-canary"
	bobSession     = "user-session-bob-canary"
	expiredSession = "user-session-expired-canary"
)

// viewerConnect is a Posit Connect that exchanges a viewer's user session
// token for that viewer's Databricks token by asking the warehouse's token
// endpoint (the peer's) for a token exchange of the same subject; a
// session token the warehouse does not know is refused, as Connect refuses
// an expired session.
func viewerConnect(t *testing.T, tokenURL string) (*httptest.Server, *atomic.Int64) {
	var exchanges atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		exchanges.Add(1)
		if r.URL.Path != credentials.ExchangePath || r.Header.Get("Authorization") != "Key "+apiKey {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		_ = r.ParseForm()
		if r.PostForm.Get("subject_token_type") != credentials.SubjectUserType {
			http.Error(w, "not a user session token", http.StatusBadRequest)
			return
		}
		resp, err := http.PostForm(tokenURL, url.Values{
			"grant_type":         {credentials.GrantTypeExchange},
			"subject_token":      {r.PostForm.Get("subject_token")},
			"subject_token_type": {"urn:ietf:params:oauth:token-type:jwt"},
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			http.Error(w, `{"code":"session expired"}`, http.StatusUnauthorized)
			return
		}
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		_ = json.Unmarshal(body, &tok)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"Bearer"}`, tok.AccessToken)
	}))
	t.Cleanup(srv.Close)
	return srv, &exchanges
}

// TestViewersRunAsThemselves: a web handler runs each request's query
// with the token of that request's viewer. Two viewers querying
// concurrently each see only their own identity (the peer's
// current_user(), the user of the token that sent the statement); a
// viewer whose session token Connect refuses gets an error and the others
// keep working; the pool holds at most MaxViewers viewers and drops idle
// ones.
func TestViewersRunAsThemselves(t *testing.T) {
	p, err := dbsqlpeer.Start(dbsqlpeer.Config{Viewers: map[string]string{
		aliceSession: "alice@example.com", bobSession: "bob@example.com", "user-session-carol": "carol@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	connect, exchanges := viewerConnect(t, p.TokenURL())
	clk := &clock{t: time.Now()}
	vs, err := databricks.NewViewers(registry.NewParams("shared-warehouse", "databricks", map[string]string{
		"server_hostname": p.Host(), "port": strconv.Itoa(p.Port()), "http_path": p.HTTPPath(), "auth_type": "token-exchange",
	}), databricks.ViewerLimits{MaxViewers: 2, Idle: time.Minute},
		databricks.WithLookupEnv(env{"CONNECT_SERVER": connect.URL, "CONNECT_API_KEY": apiKey}.lookup), databricks.WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = vs.Close() })

	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		db, err := vs.Request(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		var who string
		if err := db.QueryRowContext(r.Context(), "SELECT current_user()").Scan(&who); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, who)
	}))
	t.Cleanup(app.Close)
	ask := func(session string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, app.URL, nil)
		if session != "" {
			req.Header.Set(credentials.UserSessionHeader, session)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(b))
	}

	var wg sync.WaitGroup
	for i := range 40 {
		session, want := aliceSession, "alice@example.com"
		if i%2 == 1 {
			session, want = bobSession, "bob@example.com"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code, got := ask(session); code != http.StatusOK || got != want {
				t.Errorf("viewer %s: %d %q, want 200 %q", want, code, got, want)
			}
		}()
	}
	wg.Wait()
	if n := exchanges.Load(); n != 2 {
		t.Errorf("%d exchanges for two viewers, want one each (per-viewer token caches)", n)
	}

	code, body := ask(expiredSession)
	if code != http.StatusInternalServerError || !strings.Contains(body, credentials.StepViewerExchange) {
		t.Errorf("refused viewer: %d %q, want 500 naming the viewer exchange", code, body)
	}
	for _, secret := range []string{expiredSession, apiKey} {
		if strings.Contains(body, secret) {
			t.Errorf("the refused viewer's error shows a secret: %q", body)
		}
	}
	if code, body := ask(""); code != http.StatusForbidden || !strings.Contains(body, credentials.UserSessionHeader) {
		t.Errorf("request without a session token: %d %q", code, body)
	}
	// The refused viewer took the least recently used place: at most two.
	if n := vs.Len(); n != 2 {
		t.Errorf("%d viewers held, want at most MaxViewers 2", n)
	}
	if code, got := ask(bobSession); code != http.StatusOK || got != "bob@example.com" {
		t.Errorf("bob after the refused viewer: %d %q", code, got)
	}
	clk.add(2 * time.Minute)
	if n := vs.Len(); n != 0 {
		t.Errorf("%d viewers held after the idle time, want 0", n)
	}
	if code, got := ask(aliceSession); code != http.StatusOK || got != "alice@example.com" {
		t.Errorf("alice after expiry: %d %q", code, got)
	}
}

// TestViewersOffConnect: off Posit Connect every viewer runs on the
// connection's own local credentials, as PositCredentialsStrategy falls
// back to its local strategy.
func TestViewersOffConnect(t *testing.T) {
	p, err := dbsqlpeer.Start(dbsqlpeer.Config{Token: pat})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	vs, err := databricks.NewViewers(registry.NewParams("local", "databricks", map[string]string{
		"server_hostname": p.Host(), "port": strconv.Itoa(p.Port()), "http_path": p.HTTPPath(),
		"auth_type": "token-exchange", "access_token": pat,
	}), databricks.ViewerLimits{}, databricks.WithLookupEnv(env{}.lookup))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = vs.Close() })
	db, err := vs.DB("")
	if err != nil {
		t.Fatal(err)
	}
	var who string
	if err := db.QueryRow("SELECT current_user()").Scan(&who); err != nil || who != dbsqlpeer.TokenUser {
		t.Fatalf("off Connect: %q, %v; want the local token's user", who, err)
	}
}
