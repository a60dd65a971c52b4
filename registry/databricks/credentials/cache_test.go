package credentials_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/vapsql/vap/registry/databricks/credentials"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// counting is a source that issues "t1", "t2", … after release is closed.
type counting struct {
	n       atomic.Int64
	release chan struct{}
	expiry  time.Duration // 0: no expiry
	err     error
}

func (s *counting) Token(ctx context.Context) (*oauth2.Token, error) {
	n := s.n.Add(1)
	if s.release != nil {
		<-s.release
	}
	if s.err != nil {
		return nil, s.err
	}
	t := &oauth2.Token{AccessToken: "t" + string(rune('0'+n))}
	if s.expiry > 0 {
		t.Expiry = time.Now().Add(s.expiry)
	}
	return t, nil
}

func TestConcurrentAskersFetchOnce(t *testing.T) {
	const n = 32
	src := &counting{release: make(chan struct{}), expiry: time.Hour}
	c := credentials.NewCached(src, time.Hour, nil)
	var started, done sync.WaitGroup
	toks := make(chan string, n)
	for i := 0; i < n; i++ {
		started.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			started.Done()
			tok, err := c.Token(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			toks <- tok.AccessToken
		}()
	}
	started.Wait()
	close(src.release)
	done.Wait()
	close(toks)
	for tok := range toks {
		if tok != "t1" {
			t.Errorf("an asker got %q, want the shared t1", tok)
		}
	}
	if got := src.n.Load(); got != 1 || c.Fetches() != 1 {
		t.Fatalf("%d askers caused %d fetches, want 1", n, got)
	}
}

func TestRefresh(t *testing.T) {
	for _, tc := range []struct {
		name     string
		expiry   time.Duration
		lifetime time.Duration
		steps    []time.Duration // clock advances; after each, one Token call
		want     []string
	}{
		{"expiring token refreshed a minute early", time.Hour, time.Hour,
			[]time.Duration{0, 58 * time.Minute, time.Minute + time.Second, 30 * time.Minute}, []string{"t1", "t1", "t2", "t2"}},
		{"short token refreshed at half its life", 40 * time.Second, time.Hour,
			[]time.Duration{0, 19 * time.Second, 2 * time.Second}, []string{"t1", "t1", "t2"}},
		{"no expiry: re-exchange interval", 0, credentials.ExchangeInterval,
			[]time.Duration{0, 4 * time.Minute, 61 * time.Second, time.Minute}, []string{"t1", "t1", "t2", "t2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &clock{t: time.Now()}
			c := credentials.NewCached(&counting{expiry: tc.expiry}, tc.lifetime, clk.now)
			for i, d := range tc.steps {
				clk.add(d)
				tok, err := c.Token(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if tok.AccessToken != tc.want[i] {
					t.Errorf("step %d (+%v): token %s, want %s", i, d, tok.AccessToken, tc.want[i])
				}
			}
		})
	}
}

func TestFailureIsNotCached(t *testing.T) {
	src := &counting{err: &credentials.Error{Step: credentials.StepClientCreds, Err: errors.New("boom")}}
	c := credentials.NewCached(src, time.Hour, nil)
	for i := 0; i < 2; i++ {
		if _, err := c.Token(context.Background()); !errors.Is(err, credentials.ErrCredentials) {
			t.Fatalf("err = %v", err)
		}
	}
	if src.n.Load() != 2 {
		t.Fatalf("a failed fetch was cached: %d fetches", src.n.Load())
	}
}

func TestWaiterContext(t *testing.T) {
	src := &counting{release: make(chan struct{})}
	c := credentials.NewCached(src, time.Hour, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Token(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	close(src.release)
	tok, err := c.Token(context.Background())
	if err != nil || tok.AccessToken != "t1" {
		t.Fatalf("after release: %v %v (the first fetch should have completed for the others)", tok, err)
	}
}
