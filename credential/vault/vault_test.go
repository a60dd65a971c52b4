package vault

import (
	"context"
	"encoding/base64"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/vault/api"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/internal/redact"
)

const testToken = "hvs.Test-Token-4f9e1c"

// newTestClient is a Client for f with the login of env (a token when env
// has none of the login variables and token is set).
func newTestClient(t testing.TB, f *fakeVault, env map[string]string) *Client {
	t.Helper()
	cfg := api.DefaultConfig()
	cfg.Address = f.srv.URL
	cfg.MaxRetries = 0
	ac, err := api.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ac.ClearToken() // whatever the process's VAULT_TOKEN is
	c, err := NewClientWith(ac, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	c.now = f.now
	return c
}

// noSecret fails when msg holds any of secrets in any form.
func noSecret(t testing.TB, msg string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		forms := []string{s, url.QueryEscape(s), base64.StdEncoding.EncodeToString([]byte(s)), s[:len(s)/2+1]}
		for _, f := range forms {
			if strings.Contains(msg, f) || redact.Contains(msg, s) {
				t.Fatalf("message holds a secret (%q): %s", f, msg)
			}
		}
	}
}

func TestKV(t *testing.T) {
	f := newFakeVault(t)
	f.addToken(testToken, 0)
	f.kv["secret/apps/billing"] = map[string]any{"password": "kv-Pa55word!", "user": "billing", "port": 5432}
	c := newTestClient(t, f, map[string]string{EnvToken: testToken})
	ctx := context.Background()
	s, err := c.KV().Resolve(ctx, "secret/apps/billing#password")
	if err != nil {
		t.Fatal(err)
	}
	if s.Value != "kv-Pa55word!" || !s.Expires.IsZero() || s.Renew != nil || s.Fields != nil || s.ConnLifetime != 0 {
		t.Fatalf("secret %+v", s)
	}
	if n := f.count("GET /v1/secret/data/apps/billing"); n != 1 {
		t.Fatalf("%d KV reads, want 1", n)
	}

	for _, tc := range []struct{ ref, want string }{
		{"secret/apps/nope#password", `vault:secret/apps/nope: no secret at that path on the KV version 2 mount "secret"`},
		{"secret/apps/billing#pasword", `vault:secret/apps/billing has no key "pasword" (its keys: password, port, user)`},
		{"secret/apps/billing#port", `vault:secret/apps/billing#port is a number, not a string`},
		{"secret/apps/billing", "want vault:MOUNT/PATH#KEY"},
		{"secret#password", "want vault:MOUNT/PATH#KEY"},
		{"kv/x#y", `no secret at that path on the KV version 2 mount "kv"`},
	} {
		_, err := c.KV().Resolve(ctx, tc.ref)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.ref, err, tc.want)
			continue
		}
		noSecret(t, err.Error(), testToken, "kv-Pa55word!")
	}

	// A token Vault refuses: a clear error, no token.
	f.revokeTokens()
	_, err = c.KV().Resolve(ctx, "secret/apps/billing#password")
	var re *api.ResponseError
	if err == nil || !errors.As(err, &re) || re.StatusCode != 403 || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("revoked token: %v", err)
	}
	noSecret(t, err.Error(), testToken, "kv-Pa55word!")
}

// TestDatabaseCreds: a vault-db: reference gives a new user and password
// with the lease's expiry, a connection lifetime inside it, a renewal that
// extends it, and after the lease ends (the fake's clock) a renewal error
// and, resolved again, new credentials.
func TestDatabaseCreds(t *testing.T) {
	f := newFakeVault(t)
	f.addToken(testToken, 0)
	c := newTestClient(t, f, map[string]string{EnvToken: testToken})
	ctx := context.Background()
	start := f.now()
	s, err := c.Database().Resolve(ctx, "database/app")
	if err != nil {
		t.Fatal(err)
	}
	user := s.Fields["user_name"]
	if user == "" || s.Value == "" || len(s.Fields) != 1 || !f.validUser(user, s.Value) {
		t.Fatalf("secret: user %q, fields %v", user, len(s.Fields))
	}
	if !s.Expires.Equal(start.Add(time.Hour)) || s.ConnLifetime != 54*time.Minute || s.Renew == nil {
		t.Fatalf("expires %v (want %v), conn lifetime %v, renew %v", s.Expires, start.Add(time.Hour), s.ConnLifetime, s.Renew != nil)
	}
	f.advance(50 * time.Minute)
	exp, err := s.Renew(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(110 * time.Minute); !exp.Equal(want) {
		t.Fatalf("renewed until %v, want %v", exp, want)
	}
	if n := f.count("PUT /v1/sys/leases/renew"); n != 1 {
		t.Fatalf("%d renewals", n)
	}
	// The lease ends: the user is gone, renewal fails clearly, a new
	// resolve gives new credentials.
	f.advance(61 * time.Minute)
	if f.validUser(user, s.Value) {
		t.Fatal("the fake kept an expired user")
	}
	_, err = s.Renew(ctx)
	if err == nil || !strings.Contains(err.Error(), "renewing the lease of vault-db:database/app") || !strings.Contains(err.Error(), "lease not found") {
		t.Fatalf("renewing an ended lease: %v", err)
	}
	noSecret(t, err.Error(), testToken, s.Value)
	s2, err := c.Database().Resolve(ctx, "database/app")
	if err != nil {
		t.Fatal(err)
	}
	if s2.Fields["user_name"] == user || s2.Value == s.Value || !f.validUser(s2.Fields["user_name"], s2.Value) {
		t.Fatal("resolving after the lease ended did not give new, valid credentials")
	}
	if n := f.count("GET /v1/database/creds/app"); n != 2 {
		t.Fatalf("%d credential reads, want 2", n)
	}

	for _, tc := range []struct{ ref, want string }{
		{"database/nope", "vault-db:database/nope: Error making API request"},
		{"database", "want vault-db:MOUNT/ROLE"},
		{"database/a/b", "want vault-db:MOUNT/ROLE"},
		{"other/app", "vault-db:other/app: no database role \"app\" on mount \"other\""},
	} {
		_, err := c.Database().Resolve(ctx, tc.ref)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.ref, err, tc.want)
			continue
		}
		noSecret(t, err.Error(), testToken)
	}
}

// TestConcurrentResolves: the resolvers are safe for concurrent use (run
// with -race); without the caller's cache each resolve is one request.
func TestConcurrentResolves(t *testing.T) {
	f := newFakeVault(t)
	f.addToken(testToken, 0)
	f.kv["secret/app"] = map[string]any{"pw": "conc-Secret-1"}
	c := newTestClient(t, f, map[string]string{EnvToken: testToken})
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for range 20 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			s, err := c.KV().Resolve(context.Background(), "secret/app#pw")
			if err == nil && s.Value != "conc-Secret-1" {
				err = errors.New("wrong value")
			}
			errs <- err
		}()
		go func() {
			defer wg.Done()
			s, err := c.Database().Resolve(context.Background(), "database/app")
			if err == nil && !f.validUser(s.Fields["user_name"], s.Value) {
				err = errors.New("invalid credentials")
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if a, b := f.count("GET /v1/secret/data/app"), f.count("GET /v1/database/creds/app"); a != 20 || b != 20 {
		t.Fatalf("%d KV and %d credential reads, want 20 each (the resolver does not cache)", a, b)
	}
}

// TestAppRoleLogin: AppRole logs in once for concurrent resolves, again
// before its token expires, and again once when Vault refuses the token;
// a refused login names the method, never the secret ID.
func TestAppRoleLogin(t *testing.T) {
	f := newFakeVault(t)
	f.roleID, f.secretID = "role-7d1e", "secret-id-Q9x2v8"
	f.kv["secret/app"] = map[string]any{"pw": "approle-Value-1"}
	c := newTestClient(t, f, map[string]string{EnvRoleID: f.roleID, EnvSecretID: f.secretID})
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s, err := c.KV().Resolve(ctx, "secret/app#pw"); err != nil || s.Value != "approle-Value-1" {
				t.Errorf("resolve: %v", err)
			}
		}()
	}
	wg.Wait()
	if n := f.count("PUT /v1/auth/approle/login"); n != 1 {
		t.Fatalf("%d logins for 10 concurrent resolves, want 1", n)
	}
	f.advance(19*time.Minute + 45*time.Second) // the token (20 min) is about to expire: renewed, not replaced
	if _, err := c.KV().Resolve(ctx, "secret/app#pw"); err != nil {
		t.Fatal(err)
	}
	if l, r := f.count("PUT /v1/auth/approle/login"), f.count("PUT /v1/auth/token/renew-self"); l != 1 || r != 1 {
		t.Fatalf("%d logins and %d token renewals, want 1 and 1", l, r)
	}
	f.advance(2 * time.Hour) // past the token's maximum life: a new login
	if _, err := c.KV().Resolve(ctx, "secret/app#pw"); err != nil {
		t.Fatal(err)
	}
	if n := f.count("PUT /v1/auth/approle/login"); n != 2 {
		t.Fatalf("%d logins, want 2: a login once the token has ended", n)
	}
	f.revokeTokens()
	if _, err := c.KV().Resolve(ctx, "secret/app#pw"); err != nil {
		t.Fatalf("after the token was revoked: %v", err)
	}
	if n := f.count("PUT /v1/auth/approle/login"); n != 3 {
		t.Fatalf("%d logins, want 3: one more after a 403", n)
	}

	bad := newTestClient(t, f, map[string]string{EnvRoleID: f.roleID, EnvSecretID: "secret-id-WRONG77"})
	_, err := bad.KV().Resolve(ctx, "secret/app#pw")
	if err == nil || !strings.Contains(err.Error(), "AppRole login at auth/approle/login") || !strings.Contains(err.Error(), "invalid credentials") {
		t.Fatalf("wrong secret ID: %v", err)
	}
	noSecret(t, err.Error(), "secret-id-WRONG77", f.roleID)
}

// TestDatabaseLeaseUnderLoginToken: a vault-db: lease lives no longer than
// the login token that created it, so its Expires is the token's when
// sooner, and Renew renews the token with the lease: the user outlives the
// token's first TTL.
func TestDatabaseLeaseUnderLoginToken(t *testing.T) {
	f := newFakeVault(t)
	f.roleID, f.secretID = "role-db", "secret-id-db-77"
	c := newTestClient(t, f, map[string]string{EnvRoleID: f.roleID, EnvSecretID: f.secretID})
	ctx := context.Background()
	start := f.now()
	s, err := c.Database().Resolve(ctx, "database/app")
	if err != nil {
		t.Fatal(err)
	}
	user := s.Fields["user_name"]
	if !s.Expires.Equal(start.Add(20*time.Minute)) || s.ConnLifetime != 54*time.Minute {
		t.Fatalf("expires %v (want the token's, %v), conn lifetime %v", s.Expires, start.Add(20*time.Minute), s.ConnLifetime)
	}
	f.advance(19 * time.Minute)
	exp, err := s.Renew(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(39 * time.Minute); !exp.Equal(want) {
		t.Fatalf("renewed until %v, want %v (the renewed token's end)", exp, want)
	}
	f.advance(10 * time.Minute) // past the token's first TTL
	if !f.validUser(user, s.Value) {
		t.Fatal("the user ended with the token's first TTL: the token was not renewed")
	}
	if n := f.count("PUT /v1/auth/approle/login"); n != 1 {
		t.Fatalf("%d logins, want 1", n)
	}
}

func TestKubernetesLogin(t *testing.T) {
	f := newFakeVault(t)
	f.k8sRole, f.jwt = "flows", "eyJhbGciOiJSUzI1NiJ9.k8s-sa-token.sig"
	f.kv["secret/app"] = map[string]any{"pw": "k8s-Value-1"}
	tokenFile := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tokenFile, []byte(f.jwt+"\n"), 0o600)
	c := newTestClient(t, f, map[string]string{EnvK8sRole: "flows", EnvK8sTokenPath: tokenFile})
	if s, err := c.KV().Resolve(context.Background(), "secret/app#pw"); err != nil || s.Value != "k8s-Value-1" {
		t.Fatalf("resolve: %v", err)
	}
	if n := f.count("PUT /v1/auth/kubernetes/login"); n != 1 {
		t.Fatalf("%d logins", n)
	}
	f.k8sRole = "other"
	bad := newTestClient(t, f, map[string]string{EnvK8sRole: "flows", EnvK8sTokenPath: tokenFile})
	_, err := bad.KV().Resolve(context.Background(), "secret/app#pw")
	if err == nil || !strings.Contains(err.Error(), "Kubernetes login at auth/kubernetes/login") {
		t.Fatalf("refused login: %v", err)
	}
	noSecret(t, err.Error(), f.jwt)
}

func TestNoCredentials(t *testing.T) {
	ac, err := api.NewClient(api.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	ac.ClearToken()
	_, err = NewClientWith(ac, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "VAULT_TOKEN") || !strings.Contains(err.Error(), "VAULT_K8S_ROLE") {
		t.Fatalf("no credentials: %v", err)
	}
	_, err = NewClientWith(ac, func(k string) string { return map[string]string{EnvRoleID: "r"}[k] })
	if err == nil || !strings.Contains(err.Error(), "VAULT_SECRET_ID") {
		t.Fatalf("a role ID without a secret ID: %v", err)
	}
}

// TestRegistered: importing the package registers both schemes.
func TestRegistered(t *testing.T) {
	for _, s := range []string{"vault", "vault-db"} {
		if _, err := credential.LookupResolver(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
}
