package credentials

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/sync/singleflight"
)

// Source yields access tokens. Token may be called concurrently.
type Source interface {
	Token(ctx context.Context) (*oauth2.Token, error)
}

// SourceFunc adapts a function to Source.
type SourceFunc func(ctx context.Context) (*oauth2.Token, error)

// Token calls f.
func (f SourceFunc) Token(ctx context.Context) (*oauth2.Token, error) { return f(ctx) }

// Cache timing.
const (
	// RefreshMargin is how long before its expiry a token is replaced, at
	// most: a token is refreshed when less than RefreshMargin, or less than
	// half its lifetime, remains.
	RefreshMargin = time.Minute
	// FetchTimeout bounds one fetch, whoever is waiting for it.
	FetchTimeout = 30 * time.Second
)

// Cached shares one token among all its callers, fetching a new one from
// Source shortly before the current one expires. A token without an expiry
// is kept for the lifetime given to NewCached. Concurrent callers that find no valid token
// wait for a single fetch. Use NewCached.
type Cached struct {
	src      Source
	lifetime time.Duration
	now      func() time.Time

	mu        sync.Mutex
	tok       *oauth2.Token
	refreshAt time.Time

	group   singleflight.Group
	fetches atomic.Int64
}

// NewCached returns a cache over src. lifetime is how long a token that
// states no expiry is kept (it must be positive). now is the clock (nil:
// time.Now).
func NewCached(src Source, lifetime time.Duration, now func() time.Time) *Cached {
	if now == nil {
		now = time.Now
	}
	if lifetime <= 0 {
		lifetime = ExchangeInterval
	}
	return &Cached{src: src, lifetime: lifetime, now: now}
}

// Fetches reports how many times the cache asked its source for a token.
func (c *Cached) Fetches() int64 { return c.fetches.Load() }

// Token returns the cached token, or fetches one. A caller whose ctx ends
// stops waiting; the fetch itself goes on (bounded by FetchTimeout) for the
// others.
func (c *Cached) Token(ctx context.Context) (*oauth2.Token, error) {
	if t := c.valid(); t != nil {
		return t, nil
	}
	ch := c.group.DoChan("token", func() (any, error) {
		// A flight that ended between our look and this one filled the cache.
		if t := c.valid(); t != nil {
			return t, nil
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), FetchTimeout)
		defer cancel()
		c.fetches.Add(1)
		t, err := c.src.Token(fctx)
		if err != nil {
			return nil, err
		}
		if t == nil || t.AccessToken == "" {
			return nil, &Error{Step: StepPlatform, Err: errors.New("the token source returned an empty token")}
		}
		c.mu.Lock()
		c.tok, c.refreshAt = t, c.refreshTime(t)
		c.mu.Unlock()
		return t, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*oauth2.Token), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// valid returns the cached token while it is fresh, else nil.
func (c *Cached) valid() *oauth2.Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok != nil && c.now().Before(c.refreshAt) {
		return c.tok
	}
	return nil
}

// refreshTime is when t stops being handed out. Sources stamp Expiry with
// the real clock, so the remaining lifetime is measured with it and then
// counted on the cache's clock.
func (c *Cached) refreshTime(t *oauth2.Token) time.Time {
	if t.Expiry.IsZero() {
		return c.now().Add(c.lifetime)
	}
	life := time.Until(t.Expiry)
	return c.now().Add(life - min(RefreshMargin, life/2))
}
