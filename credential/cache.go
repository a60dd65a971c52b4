package credential

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/vapsql/vap/registry"
)

// Cache timing.
const (
	// DefaultTTL is how long a Cache keeps a value that states no expiry
	// (an environment variable, a file, a KV secret) before resolving it
	// again.
	DefaultTTL = 5 * time.Minute
	// RefreshMargin is how long before its expiry a value is replaced, at
	// most: a value is refreshed when less than RefreshMargin, or less than
	// half its lifetime, remains.
	RefreshMargin = time.Minute
	// FetchTimeout bounds one resolution, mint or renewal, whoever waits
	// for it.
	FetchTimeout = 30 * time.Second
)

// Cache shares resolved references and minted credentials among all the
// connections of a program. A value is resolved (or minted) once for any
// number of concurrent callers (singleflight), kept until shortly before
// it expires (RefreshMargin or half its lifetime, whichever is shorter) or,
// when it states no expiry, for the cache's TTL; then the next caller
// fetches a new one. A renewable value (Secret.Renew: a Vault lease) is
// renewed rather than fetched again, on use and, while it is held (Use),
// in the background before it expires; when a renewal fails, does not
// push the expiry further or leaves less than RefreshMargin (a lease at
// its maximum TTL), a new value is fetched while the old one still works.
//
// Errors are not cached. Errors from resolvers and auths are returned as
// they are: resolvers must not put a value in an error; callers that
// connect with the values scrub them from the database's errors.
//
// Use NewCache; DefaultCache is the one the vap driver uses.
type Cache struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[string]*entry

	group    singleflight.Group
	fetches  atomic.Int64
	renewals atomic.Int64
}

type entry struct {
	sec       Secret    // a Minted is kept as a Secret without Value
	refreshAt time.Time // on the cache's clock
	expires   time.Time // on the cache's clock; zero: none
	holds     int
	timer     *time.Timer
	fetch     func(context.Context) (Secret, error) // what filled it, for background renewal
}

// CacheOption configures NewCache.
type CacheOption func(*Cache)

// WithTTL sets how long a value that states no expiry is kept (DefaultTTL
// when d is not positive).
func WithTTL(d time.Duration) CacheOption { return func(c *Cache) { c.ttl = d } }

// WithClock sets the cache's clock (time.Now by default), for tests.
// Expiries that resolvers stamp with the real clock are measured as
// remaining lifetimes on the real clock, then counted on this one.
func WithClock(now func() time.Time) CacheOption { return func(c *Cache) { c.now = now } }

// NewCache returns an empty cache.
func NewCache(opts ...CacheOption) *Cache {
	c := &Cache{ttl: DefaultTTL, now: time.Now, entries: map[string]*entry{}}
	for _, o := range opts {
		o(c)
	}
	if c.ttl <= 0 {
		c.ttl = DefaultTTL
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// DefaultCache is the process-wide cache the vap driver resolves and mints
// through (stdlib.WithCredentialCache chooses another).
var DefaultCache = NewCache()

// Now returns the time on the cache's clock.
func (c *Cache) Now() time.Time { return c.now() }

// Fetches reports how many times the cache called a Resolver or an Auth.
func (c *Cache) Fetches() int64 { return c.fetches.Load() }

// Renewals reports how many times the cache called a Secret's Renew.
func (c *Cache) Renewals() int64 { return c.renewals.Load() }

// Resolve returns the value of the reference "SCHEME:REST", from the cache
// or from the scheme's Resolver (LookupResolver: a scheme that is not
// linked fails with a *NotLinkedError naming the package to import). The
// cache key is the reference itself: every connection that names the same
// reference shares its value.
func (c *Cache) Resolve(ctx context.Context, ref string) (Secret, error) {
	scheme, rest, err := ParseRef(ref)
	if err != nil {
		return Secret{}, err
	}
	r, err := LookupResolver(scheme)
	if err != nil {
		return Secret{}, err
	}
	return c.get(ctx, "ref\x00"+ref, func(ctx context.Context) (Secret, error) {
		s, err := r.Resolve(ctx, rest)
		if err == nil && s.Value == "" {
			err = fmt.Errorf("%s: the resolver returned an empty value", scheme)
		}
		return s, err
	})
}

// Mint returns the credentials a mints for the connection p, from the
// cache or from a.Mint. The cache key is authType, p's type and name and a
// digest of all of p's fields: a connection whose fields change (a new
// role, another host) gets credentials of its own.
func (c *Cache) Mint(ctx context.Context, authType string, a Auth, p registry.Params) (Minted, error) {
	s, err := c.get(ctx, MintKey(authType, p), func(ctx context.Context) (Secret, error) {
		m, err := a.Mint(ctx, p)
		if err != nil {
			return Secret{}, err
		}
		if len(m.Fields) == 0 {
			return Secret{}, fmt.Errorf("auth_type %s minted no fields", authType)
		}
		return Secret{Fields: m.Fields, Expires: m.Expires, ConnLifetime: m.ConnLifetime}, nil
	})
	if err != nil {
		return Minted{}, err
	}
	return Minted{Fields: s.Fields, Expires: s.Expires, ConnLifetime: s.ConnLifetime}, nil
}

// MintKey is the cache key of what authType mints for p.
func MintKey(authType string, p registry.Params) string {
	h := sha256.New()
	put := func(s string) {
		h.Write(binary.AppendUvarint(nil, uint64(len(s))))
		h.Write([]byte(s))
	}
	put(p.Name())
	for _, k := range p.Keys() {
		put(k)
		put(p.Get(k))
	}
	return fmt.Sprintf("auth\x00%s\x00%s\x00%x", authType, p.Type(), h.Sum(nil))
}

// Forget drops the cached value of reference ref, so that the next Resolve
// fetches it again (after the database refused it, say).
func (c *Cache) Forget(ref string) { c.forget("ref\x00" + ref) }

// ForgetMint drops what authType minted for p.
func (c *Cache) ForgetMint(authType string, p registry.Params) { c.forget(MintKey(authType, p)) }

func (c *Cache) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[key]; e != nil {
		if e.holds > 0 {
			e.refreshAt = time.Time{} // keep the holds, fetch anew on next use
			return
		}
		stopTimer(e)
		delete(c.entries, key)
	}
}

// Use marks reference ref as in use until release is called: while it is,
// a renewable value is renewed in the background shortly before it
// expires, even when no new connection asks for it (connections already
// open keep using the credentials it leases). The vap driver holds each
// reference of a connection while its connector is open.
func (c *Cache) Use(ref string) (release func()) {
	key := "ref\x00" + ref
	c.mu.Lock()
	e := c.entries[key]
	if e == nil {
		e = &entry{}
		c.entries[key] = e
	}
	e.holds++
	c.scheduleLocked(key, e)
	c.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			if e := c.entries[key]; e != nil {
				e.holds--
				if e.holds <= 0 {
					e.holds = 0
					stopTimer(e)
				}
			}
		})
	}
}

func stopTimer(e *entry) {
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
}

// scheduleLocked arms the background renewal of a held, renewable entry at
// its refresh time. c.mu is held.
func (c *Cache) scheduleLocked(key string, e *entry) {
	stopTimer(e)
	if e.holds == 0 || e.sec.Renew == nil || e.refreshAt.IsZero() {
		return
	}
	d := max(e.refreshAt.Sub(c.now()), 0)
	e.timer = time.AfterFunc(d, func() {
		ctx, cancel := context.WithTimeout(context.Background(), FetchTimeout)
		defer cancel()
		// get renews (or fetches anew) a value due for refresh; the fetch
		// function is the one the entry was filled with.
		c.mu.Lock()
		fetch := e.fetch
		c.mu.Unlock()
		if fetch != nil {
			_, _ = c.flight(ctx, key, fetch, true)
		}
	})
}

// fresh returns the entry's value when it is due no refresh.
func (c *Cache) fresh(key string) (Secret, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil || e.refreshAt.IsZero() || !c.now().Before(e.refreshAt) {
		return Secret{}, false
	}
	return e.sec, true
}

// get returns key's value while it is fresh, else renews or fetches it
// once for all concurrent callers. A caller whose ctx ends stops waiting;
// the fetch goes on (bounded by FetchTimeout) for the others.
func (c *Cache) get(ctx context.Context, key string, fetch func(context.Context) (Secret, error)) (Secret, error) {
	if s, ok := c.fresh(key); ok {
		return s, nil
	}
	return c.flight(ctx, key, fetch, false)
}

// flight renews or fetches key's value, once for all concurrent callers;
// unless force is set, a value found fresh meanwhile is returned as is.
func (c *Cache) flight(ctx context.Context, key string, fetch func(context.Context) (Secret, error), force bool) (Secret, error) {
	ch := c.group.DoChan(key, func() (any, error) {
		if s, ok := c.fresh(key); ok && !force {
			return s, nil
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), FetchTimeout)
		defer cancel()
		if s, ok := c.renew(fctx, key); ok {
			return s, nil
		}
		c.fetches.Add(1)
		s, err := fetch(fctx)
		if err != nil {
			return Secret{}, err
		}
		life := time.Duration(0)
		if !s.Expires.IsZero() {
			if life = time.Until(s.Expires); life <= 0 {
				return Secret{}, errors.New("the credential returned has already expired")
			}
		}
		c.store(key, s, life, fetch)
		return s, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return Secret{}, r.Err
		}
		return r.Val.(Secret), nil
	case <-ctx.Done():
		return Secret{}, ctx.Err()
	}
}

// renew extends a renewable entry due for refresh; ok is false when there
// is none, the renewal failed or it left the value due for refresh still.
func (c *Cache) renew(ctx context.Context, key string) (Secret, bool) {
	c.mu.Lock()
	e := c.entries[key]
	var s Secret
	if e != nil {
		s = e.sec
	}
	c.mu.Unlock()
	if e == nil || s.Renew == nil || s.Value == "" && len(s.Fields) == 0 {
		return Secret{}, false
	}
	c.renewals.Add(1)
	exp, err := s.Renew(ctx)
	if err != nil || exp.IsZero() {
		return Secret{}, false
	}
	// A renewal that does not push the end further, or leaves less than
	// RefreshMargin (a lease at its maximum TTL), is not enough: fetch a new
	// value while the old one still works.
	life := time.Until(exp)
	if !exp.After(s.Expires) || life < RefreshMargin {
		return Secret{}, false
	}
	s.Expires = exp
	c.mu.Lock()
	fetch := e.fetch
	c.mu.Unlock()
	c.store(key, s, life, fetch)
	return s, true
}

// store caches s under key; life is its remaining lifetime on the real
// clock (0: no expiry, kept for the TTL).
func (c *Cache) store(key string, s Secret, life time.Duration, fetch func(context.Context) (Secret, error)) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil {
		e = &entry{}
		c.entries[key] = e
	}
	e.sec, e.fetch = s, fetch
	if life == 0 {
		e.refreshAt, e.expires = now.Add(c.ttl), time.Time{}
	} else {
		e.refreshAt, e.expires = now.Add(life-min(RefreshMargin, life/2)), now.Add(life)
	}
	c.scheduleLocked(key, e)
}

// Keys returns the cached keys, sorted (for tests and diagnostics; a key
// holds no value).
func (c *Cache) Keys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Sorted(maps.Keys(c.entries))
}
