package dbsqlpeer_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	dbsql "github.com/databricks/databricks-sql-go"

	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// fetchToken asks the peer's token endpoint for a token with form.
func fetchToken(ctx context.Context, p *dbsqlpeer.Peer, form url.Values, basicID, basicSecret string) (string, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.TokenURL(), strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicID != "" {
		req.SetBasicAuth(basicID, basicSecret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return "", resp.StatusCode, err
	}
	if resp.StatusCode == http.StatusOK && (body.TokenType != "Bearer" || body.ExpiresIn <= 0) {
		return "", resp.StatusCode, fmt.Errorf("token response %+v", body)
	}
	return body.AccessToken, resp.StatusCode, nil
}

// queryWith runs SELECT 1 through the driver with the given authentication.
func queryWith(t *testing.T, p *dbsqlpeer.Peer, auth dbsql.ConnOption) error {
	t.Helper()
	c, err := dbsql.NewConnector(driverOptions(p, auth)...)
	if err != nil {
		t.Fatalf("NewConnector: %v", err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	var n int32
	return db.QueryRowContext(testContext(t), "SELECT 1").Scan(&n)
}

// TestAuth proves the bearer check end to end through the driver: the PAT,
// a token from a client-credentials grant and one from a token exchange get
// in; a wrong, expired or missing token gets 401 and runs nothing.
func TestAuth(t *testing.T) {
	const (
		clientID     = "peer-client"
		clientSecret = "peer-client-secret"
		subject      = "federated-subject-token"
	)
	p := startPeer(t, dbsqlpeer.Config{Token: testToken, ClientID: clientID, ClientSecret: clientSecret, SubjectToken: subject})
	ctx := testContext(t)

	m2mBasic, status, err := fetchToken(ctx, p, url.Values{"grant_type": {"client_credentials"}, "scope": {"all-apis"}}, clientID, clientSecret)
	if err != nil || status != http.StatusOK {
		t.Fatalf("client credentials (basic): %d, %v", status, err)
	}
	m2mForm, status, err := fetchToken(ctx, p, url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {clientSecret}}, "", "")
	if err != nil || status != http.StatusOK {
		t.Fatalf("client credentials (form): %d, %v", status, err)
	}
	exchanged, status, err := fetchToken(ctx, p, url.Values{
		"grant_type":         {"urn:ietf:params:oauth:grant-type:token-exchange"},
		"subject_token":      {subject},
		"subject_token_type": {"urn:ietf:params:oauth:token-type:jwt"},
	}, "", "")
	if err != nil || status != http.StatusOK {
		t.Fatalf("token exchange: %d, %v", status, err)
	}

	for _, tc := range []struct {
		name   string
		form   url.Values
		id     string
		secret string
		want   int
	}{
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}}, clientID, "wrong", http.StatusUnauthorized},
		{"unknown client", url.Values{"grant_type": {"client_credentials"}}, "someone", clientSecret, http.StatusUnauthorized},
		{"wrong subject", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:token-exchange"}, "subject_token": {"forged"}}, "", "", http.StatusBadRequest},
		{"unknown grant", url.Values{"grant_type": {"password"}}, "", "", http.StatusBadRequest},
	} {
		t.Run("token endpoint refuses "+tc.name, func(t *testing.T) {
			tok, status, _ := fetchToken(ctx, p, tc.form, tc.id, tc.secret)
			if status != tc.want || tok != "" {
				t.Errorf("status %d token issued %v, want %d and none", status, tok != "", tc.want)
			}
		})
	}

	tests := []struct {
		name string
		auth dbsql.ConnOption
		ok   bool
	}{
		{"PAT", dbsql.WithAccessToken(testToken), true},
		{"M2M token (basic)", dbsql.WithAccessToken(m2mBasic), true},
		{"M2M token (form)", dbsql.WithAccessToken(m2mForm), true},
		{"exchanged token", dbsql.WithAccessToken(exchanged), true},
		{"wrong token", dbsql.WithAccessToken("dapi-wrong"), false},
		{"client secret as token", dbsql.WithAccessToken(clientSecret), false},
		{"no token", dbsql.WithAccessToken(""), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := p.Stats()
			err := queryWith(t, p, tc.auth)
			after := p.Stats()
			if tc.ok {
				if err != nil {
					t.Fatalf("query: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("query succeeded without a valid token")
			}
			if after.Unauthorized == before.Unauthorized {
				t.Error("peer recorded no 401")
			}
			if after.Calls["OpenSession"] != before.Calls["OpenSession"] {
				t.Error("a session was opened without a valid token")
			}
		})
	}
	if s := p.Stats(); s.TokensIssued != 3 {
		t.Errorf("TokensIssued %d, want 3", s.TokensIssued)
	}
}

// TestIssuedTokenExpires proves an issued token stops working at its expiry.
func TestIssuedTokenExpires(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{ClientID: "c", ClientSecret: "s", TokenTTL: time.Nanosecond})
	tok, status, err := fetchToken(testContext(t), p, url.Values{"grant_type": {"client_credentials"}}, "c", "s")
	if err != nil || status != http.StatusOK {
		t.Fatalf("token: %d, %v", status, err)
	}
	if err := queryWith(t, p, dbsql.WithAccessToken(tok)); err == nil {
		t.Fatal("an expired token was accepted")
	}
}

// TestHTTPSurface proves the peer's plain HTTP answers: 401 with a
// WWW-Authenticate challenge, 405 for GET, 404 elsewhere, and the
// feature-flag answer that keeps the driver's telemetry off.
func TestHTTPSurface(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{})
	ctx := testContext(t)
	do := func(method, path, token string) *http.Response {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, method, p.URL()+path, bytes.NewReader(nil))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	tests := []struct {
		name, method, path, token string
		want                      int
	}{
		{"thrift without token", http.MethodPost, p.HTTPPath(), "", http.StatusUnauthorized},
		{"thrift with wrong token", http.MethodPost, p.HTTPPath(), "nope", http.StatusUnauthorized},
		{"thrift GET", http.MethodGet, p.HTTPPath(), testToken, http.StatusMethodNotAllowed},
		{"other path", http.MethodPost, "/sql/1.0/warehouses/other", testToken, http.StatusNotFound},
		{"token GET", http.MethodGet, "/oidc/v1/token", "", http.StatusMethodNotAllowed},
		{"discovery", http.MethodGet, "/oidc/.well-known/oauth-authorization-server", "", http.StatusOK},
		{"feature flags", http.MethodGet, "/api/2.0/connector-service/feature-flags/GOLANG/1.11.0", "", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := do(tc.method, tc.path, tc.token)
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
			if tc.want == http.StatusUnauthorized && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
			}
		})
	}
	var flags struct {
		Flags []struct{ Name, Value string } `json:"flags"`
	}
	if err := json.NewDecoder(do(http.MethodGet, "/api/2.0/connector-service/feature-flags/GOLANG/1.11.0", "").Body).Decode(&flags); err != nil ||
		len(flags.Flags) != 1 || flags.Flags[0].Value != "false" {
		t.Errorf("feature flags %+v, %v", flags, err)
	}
}

// TestTransport proves Transport keeps the driver on loopback: the
// feature-flag request of every connect reaches the peer, and a request for
// any other host is refused before it leaves the process.
func TestTransport(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{})
	if err := queryWith(t, p, dbsql.WithAccessToken(testToken)); err != nil {
		t.Fatal(err)
	}
	if got := p.Stats().FeatureFlagFetches; got < 1 {
		t.Errorf("FeatureFlagFetches %d: the driver's flag request did not reach the peer", got)
	}
	req, _ := http.NewRequest(http.MethodGet, "https://example.com/api/2.0/x", nil)
	if resp, err := p.Transport().RoundTrip(req); err == nil {
		resp.Body.Close()
		t.Fatal("transport sent a request to example.com")
	}
}

// TestStartConfig proves Start refuses a config it cannot serve.
func TestStartConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  dbsqlpeer.Config
	}{
		{"no credential", dbsqlpeer.Config{}},
		{"client without secret", dbsqlpeer.Config{ClientID: "c"}},
		{"relative path", dbsqlpeer.Config{Token: "t", HTTPPath: "sql/1.0"}},
		{"path with query", dbsqlpeer.Config{Token: "t", HTTPPath: "/sql?x=1"}},
		{"path shadows token endpoint", dbsqlpeer.Config{Token: "t", HTTPPath: "/oidc/v1/token"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := dbsqlpeer.Start(tc.cfg)
			if err == nil {
				p.Close()
				t.Fatal("Start accepted the config")
			}
			if tc.cfg.Token != "" && strings.Contains(err.Error(), tc.cfg.Token) && len(tc.cfg.Token) > 1 {
				t.Errorf("error echoes the token: %v", err)
			}
		})
	}
}
