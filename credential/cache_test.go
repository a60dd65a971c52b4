package credential_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/registry"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fake is the resolver of the scheme "fake-cache": its answer is set by
// the test, per reference, and counted.
type fake struct {
	mu    sync.Mutex
	fn    map[string]func() (credential.Secret, error)
	calls map[string]*atomic.Int64
}

var fakes = &fake{fn: map[string]func() (credential.Secret, error){}, calls: map[string]*atomic.Int64{}}

func init() { credential.RegisterResolver("fake-cache", fakes) }

func (f *fake) Resolve(ctx context.Context, ref string) (credential.Secret, error) {
	f.mu.Lock()
	fn, n := f.fn[ref], f.calls[ref]
	f.mu.Unlock()
	n.Add(1)
	return fn()
}

var seq atomic.Int64

// newRef registers fn under a fresh reference and returns it with its call
// counter.
func newRef(fn func() (credential.Secret, error)) (string, *atomic.Int64) {
	k := fmt.Sprintf("k%d", seq.Add(1))
	n := &atomic.Int64{}
	fakes.mu.Lock()
	fakes.fn[k], fakes.calls[k] = fn, n
	fakes.mu.Unlock()
	return "fake-cache:" + k, n
}

func TestCacheTTL(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	c := credential.NewCache(credential.WithTTL(5*time.Minute), credential.WithClock(clk.Now))
	var cur atomic.Value
	cur.Store("one-value-123")
	ref, n := newRef(func() (credential.Secret, error) { return credential.Secret{Value: cur.Load().(string)}, nil })
	get := func() string {
		t.Helper()
		s, err := c.Resolve(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		return s.Value
	}
	first, second := get(), get()
	if first != "one-value-123" || second != first || n.Load() != 1 {
		t.Fatalf("resolved %d times", n.Load())
	}
	cur.Store("two-value-456")
	clk.Advance(5*time.Minute - time.Second)
	if v := get(); v != "one-value-123" || n.Load() != 1 {
		t.Fatalf("within the TTL: %q, %d resolutions", v, n.Load())
	}
	clk.Advance(time.Second)
	if v := get(); v != "two-value-456" || n.Load() != 2 {
		t.Fatalf("past the TTL: %q, %d resolutions", v, n.Load())
	}
	// Forget drops it at once.
	cur.Store("three-value-789")
	c.Forget(ref)
	if v := get(); v != "three-value-789" || n.Load() != 3 {
		t.Fatalf("after Forget: %q, %d resolutions", v, n.Load())
	}
}

// TestCacheRefreshMargin: a value with an expiry is refreshed RefreshMargin
// before it, or at half its life when that is shorter.
func TestCacheRefreshMargin(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		life, fresh, due time.Duration
	}{
		{life: time.Hour, fresh: 58 * time.Minute, due: 59*time.Minute + time.Second},
		{life: time.Minute, fresh: 29 * time.Second, due: 31 * time.Second},
	} {
		t.Run(tc.life.String(), func(t *testing.T) {
			clk := newClock()
			c := credential.NewCache(credential.WithClock(clk.Now))
			ref, n := newRef(func() (credential.Secret, error) {
				return credential.Secret{Value: "expiring-value-1", Expires: time.Now().Add(tc.life)}, nil
			})
			c.Resolve(ctx, ref)
			clk.Advance(tc.fresh)
			c.Resolve(ctx, ref)
			if n.Load() != 1 {
				t.Fatalf("refreshed before the margin: %d", n.Load())
			}
			clk.Advance(tc.due - tc.fresh)
			c.Resolve(ctx, ref)
			if n.Load() != 2 {
				t.Fatalf("not refreshed within the margin: %d", n.Load())
			}
		})
	}
}

// TestCacheSingleflight: 32 concurrent callers, one resolution.
func TestCacheSingleflight(t *testing.T) {
	c := credential.NewCache()
	gate := make(chan struct{})
	ref, n := newRef(func() (credential.Secret, error) {
		<-gate
		return credential.Secret{Value: "shared-value-42"}, nil
	})
	var wg sync.WaitGroup
	var bad atomic.Int64
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := c.Resolve(context.Background(), ref)
			if err != nil || s.Value != "shared-value-42" {
				bad.Add(1)
			}
		}()
	}
	for n.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // let the others queue behind the first
	close(gate)
	wg.Wait()
	if n.Load() != 1 || bad.Load() != 0 || c.Fetches() != 1 {
		t.Fatalf("%d resolutions, %d failures", n.Load(), bad.Load())
	}
}

// TestCacheErrorsNotCached: a failed resolution is retried by the next
// caller; a caller whose context ends stops waiting.
func TestCacheErrorsNotCached(t *testing.T) {
	c := credential.NewCache()
	var fail atomic.Bool
	fail.Store(true)
	ref, n := newRef(func() (credential.Secret, error) {
		if fail.Load() {
			return credential.Secret{}, errors.New("backend down")
		}
		return credential.Secret{Value: "eventually-1"}, nil
	})
	if _, err := c.Resolve(context.Background(), ref); err == nil || !strings.Contains(err.Error(), "backend down") {
		t.Fatalf("err = %v", err)
	}
	fail.Store(false)
	if s, err := c.Resolve(context.Background(), ref); err != nil || s.Value != "eventually-1" || n.Load() != 2 {
		t.Fatalf("%v %v %d", s, err, n.Load())
	}
	block := make(chan struct{})
	defer close(block)
	slow, _ := newRef(func() (credential.Secret, error) { <-block; return credential.Secret{Value: "late-value"}, nil })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Resolve(ctx, slow); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: %v", err)
	}
	// Already expired, or empty: refused.
	old, _ := newRef(func() (credential.Secret, error) {
		return credential.Secret{Value: "old-value-1", Expires: time.Now().Add(-time.Second)}, nil
	})
	if _, err := c.Resolve(context.Background(), old); err == nil || !strings.Contains(err.Error(), "already expired") {
		t.Fatalf("expired: %v", err)
	}
	empty, _ := newRef(func() (credential.Secret, error) { return credential.Secret{}, nil })
	if _, err := c.Resolve(context.Background(), empty); err == nil || !strings.Contains(err.Error(), "empty value") {
		t.Fatalf("empty: %v", err)
	}
}

// TestCacheRenew: a renewable value due for refresh is renewed, not
// fetched again; when the renewal fails or no longer extends it, a new
// value is fetched.
func TestCacheRenew(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	c := credential.NewCache(credential.WithClock(clk.Now))
	var renews atomic.Int64
	var renewErr atomic.Value
	renewErr.Store("")
	var renewLife atomic.Int64
	renewLife.Store(int64(time.Hour))
	ref, n := newRef(func() (credential.Secret, error) {
		return credential.Secret{Value: fmt.Sprintf("lease-%d", seq.Add(1)), Expires: time.Now().Add(time.Hour), Renew: func(context.Context) (time.Time, error) {
			renews.Add(1)
			if e := renewErr.Load().(string); e != "" {
				return time.Time{}, errors.New(e)
			}
			return time.Now().Add(time.Duration(renewLife.Load())), nil
		}}, nil
	})
	s1, _ := c.Resolve(ctx, ref)
	clk.Advance(59*time.Minute + time.Second)
	s2, _ := c.Resolve(ctx, ref)
	if s2.Value != s1.Value || n.Load() != 1 || renews.Load() != 1 {
		t.Fatalf("renewal: %d fetches, %d renewals", n.Load(), renews.Load())
	}
	// At its maximum TTL a lease renews for less than the margin: fetch.
	renewLife.Store(int64(time.Second))
	clk.Advance(59*time.Minute + time.Second)
	s3, _ := c.Resolve(ctx, ref)
	if s3.Value == s1.Value || n.Load() != 2 || renews.Load() != 2 {
		t.Fatalf("renewal at max TTL: %d fetches, %d renewals", n.Load(), renews.Load())
	}
	renewErr.Store("lease not found")
	clk.Advance(59*time.Minute + time.Second)
	s4, _ := c.Resolve(ctx, ref)
	if s4.Value == s3.Value || n.Load() != 3 || renews.Load() != 3 {
		t.Fatalf("failed renewal: %d fetches, %d renewals", n.Load(), renews.Load())
	}
}

// TestCacheRenewInUse: a held renewable value is renewed in the background
// before it expires, with no caller asking.
func TestCacheRenewInUse(t *testing.T) {
	c := credential.NewCache()
	renewed := make(chan struct{}, 10)
	ref, _ := newRef(func() (credential.Secret, error) {
		return credential.Secret{Value: "held-lease-1", Expires: time.Now().Add(200 * time.Millisecond), Renew: func(context.Context) (time.Time, error) {
			renewed <- struct{}{}
			return time.Now().Add(time.Hour), nil
		}}, nil
	})
	release := c.Use(ref)
	if _, err := c.Resolve(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	select {
	case <-renewed:
	case <-time.After(30 * time.Second):
		t.Fatal("a held lease was not renewed before its end")
	}
	release()
	if c.Renewals() < 1 {
		t.Fatal("renewals not counted")
	}
}

type countAuth struct{ n atomic.Int64 }

func (a *countAuth) Mint(ctx context.Context, p registry.Params) (credential.Minted, error) {
	a.n.Add(1)
	return credential.Minted{Fields: map[string]string{"password": "tok-" + p.Get("host")}, Expires: time.Now().Add(15 * time.Minute)}, nil
}

func TestCacheMint(t *testing.T) {
	ctx := context.Background()
	c := credential.NewCache()
	a := &countAuth{}
	p1 := registry.NewParams("a", "postgresql", map[string]string{"host": "h1", "user_name": "u"})
	p2 := registry.NewParams("a", "postgresql", map[string]string{"host": "h2", "user_name": "u"})
	for range 3 {
		if m, err := c.Mint(ctx, "x-auth", a, p1); err != nil || m.Fields["password"] != "tok-h1" {
			t.Fatalf("%v %v", m, err)
		}
	}
	if m, _ := c.Mint(ctx, "x-auth", a, p2); m.Fields["password"] != "tok-h2" || a.n.Load() != 2 {
		t.Fatalf("mints: %d", a.n.Load())
	}
	if credential.MintKey("x-auth", p1) == credential.MintKey("x-auth", p2) {
		t.Fatal("two hosts share a mint key")
	}
	if strings.Contains(credential.MintKey("x-auth", p1), "h1") {
		t.Fatal("the mint key holds field values")
	}
}

func TestCacheNotLinked(t *testing.T) {
	_, err := credential.NewCache().Resolve(context.Background(), "vault:secret/data/pg#password")
	var nl *credential.NotLinkedError
	if !errors.As(err, &nl) || !strings.Contains(err.Error(), `add import _ "github.com/vapsql/vap/credential/vault"`) {
		t.Skipf("vault linked, or: %v", err)
	}
}

// TestPrintsNoValue: a Secret or Minted in any fmt verb or slog holds no
// value.
func TestPrintsNoValue(t *testing.T) {
	const v = "Printed-secret-0x1234"
	s := credential.Secret{Value: v, Fields: map[string]string{"user_name": v + "u"}, Expires: time.Now()}
	m := credential.Minted{Fields: map[string]string{"password": v}}
	var b strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		fmt.Fprintf(&b, verb+" "+verb+"\n", s, m)
	}
	slog.New(slog.NewTextHandler(&b, nil)).Info("x", "s", s, "m", m)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("x", "s", s, "m", m)
	if strings.Contains(b.String(), v) || strings.Contains(b.String(), fmt.Sprintf("%x", v)) {
		t.Fatalf("a value printed:\n%s", b.String())
	}
}
