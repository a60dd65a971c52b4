package azuread

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/vapsql/vap/credential"
)

// refreshMargin is how long before its expiry a token is replaced, at
// most: a token whose whole life is shorter is replaced halfway through.
const refreshMargin = 5 * time.Minute

// tokenSource keeps one credential's token: fetched once for any number of
// concurrent callers, fetched again when it nears its expiry.
type tokenSource struct {
	cred  azcore.TokenCredential
	scope string
	kind  string
	now   func() time.Time

	fetch chan struct{} // one fetch at a time; callers wait with their context

	mu        sync.Mutex
	cur       string
	refreshAt time.Time
}

func newTokenSource(cred azcore.TokenCredential, scope, kind string) *tokenSource {
	return &tokenSource{cred: cred, scope: scope, kind: kind, now: time.Now, fetch: make(chan struct{}, 1)}
}

func (s *tokenSource) cached() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur, s.cur != "" && s.now().Before(s.refreshAt)
}

// token returns a token valid for a while yet: go-mssqldb calls it at each
// login.
func (s *tokenSource) token(ctx context.Context) (string, error) {
	if t, ok := s.cached(); ok {
		return t, nil
	}
	select {
	case s.fetch <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-s.fetch }()
	if t, ok := s.cached(); ok {
		return t, nil // fetched by the caller we waited for
	}
	at, err := s.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{s.scope}})
	if err != nil {
		return "", &credential.MintError{AuthType: AuthType, Err: fmt.Errorf("azuread: getting an Entra ID token (azure_credential %s): %w", s.kind, err)}
	}
	now := s.now()
	margin := min(refreshMargin, at.ExpiresOn.Sub(now)/2)
	refresh := at.ExpiresOn.Add(-margin)
	if !at.RefreshOn.IsZero() && at.RefreshOn.Before(refresh) {
		refresh = at.RefreshOn
	}
	s.mu.Lock()
	s.cur, s.refreshAt = at.Token, refresh
	s.mu.Unlock()
	return at.Token, nil
}
