package vault

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/vapsql/vap/credential"
)

// useEnvClient points the registered resolvers at f with a token, through
// the environment as a program would.
func useEnvClient(t *testing.T, f *fakeVault) {
	t.Setenv("VAULT_ADDR", f.srv.URL)
	t.Setenv(EnvToken, testToken)
	for _, k := range []string{EnvRoleID, EnvSecretID, EnvK8sRole, "VAULT_NAMESPACE", "VAULT_AGENT_ADDR"} {
		t.Setenv(k, "")
	}
	f.addToken(testToken, 0)
	reset := func() {
		defaultClient.mu.Lock()
		defaultClient.c = nil
		defaultClient.mu.Unlock()
	}
	reset()
	t.Cleanup(reset)
}

// TestThroughCache: through the caller's credential cache (the one the vap
// driver resolves with), concurrent resolves of one reference make one
// Vault request; once the lease has ended (both clocks moved), the next
// resolve gets new credentials.
func TestThroughCache(t *testing.T) {
	f := newFakeVault(t)
	f.kv["secret/app"] = map[string]any{"pw": "cached-Value-1"}
	useEnvClient(t, f)
	clock := struct {
		sync.Mutex
		t time.Time
	}{t: time.Now()}
	now := func() time.Time { clock.Lock(); defer clock.Unlock(); return clock.t }
	cache := credential.NewCache(credential.WithClock(now))
	ctx := context.Background()

	var wg sync.WaitGroup
	var mu sync.Mutex
	users := map[string]bool{}
	for range 20 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if s, err := cache.Resolve(ctx, "vault:secret/app#pw"); err != nil || s.Value != "cached-Value-1" {
				t.Errorf("vault: %v", err)
			}
		}()
		go func() {
			defer wg.Done()
			s, err := cache.Resolve(ctx, "vault-db:database/app")
			if err != nil {
				t.Errorf("vault-db: %v", err)
				return
			}
			mu.Lock()
			users[s.Fields["user_name"]] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	if a, b := f.count("GET /v1/secret/data/app"), f.count("GET /v1/database/creds/app"); a != 1 || b != 1 || len(users) != 1 {
		t.Fatalf("%d KV reads, %d credential reads, %d users for 20 concurrent resolves each; want 1, 1, 1", a, b, len(users))
	}
	var first string
	for u := range users {
		first = u
	}

	// The lease ends (Vault's clock and the cache's move together).
	f.advance(61 * time.Minute)
	clock.Lock()
	clock.t = clock.t.Add(61 * time.Minute)
	clock.Unlock()
	s, err := cache.Resolve(ctx, "vault-db:database/app")
	if err != nil {
		t.Fatal(err)
	}
	if s.Fields["user_name"] == first || !f.validUser(s.Fields["user_name"], s.Value) {
		t.Fatalf("after the lease ended: user %q (first %q), valid %v", s.Fields["user_name"], first, f.validUser(s.Fields["user_name"], s.Value))
	}
	if n := f.count("GET /v1/database/creds/app"); n != 2 {
		t.Fatalf("%d credential reads, want 2", n)
	}
}
