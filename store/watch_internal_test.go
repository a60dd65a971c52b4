package store

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vapsql/vap/store/backend"
)

// deafWatcher is a Backend whose watch goes live and then never reports,
// like a LISTEN session whose notifications are lost; Version answers v.
type deafWatcher struct {
	backend.Backend
	v atomic.Int64
}

func (w *deafWatcher) Version(context.Context, string) (int64, error) { return w.v.Load(), nil }

func (w *deafWatcher) Watch(ctx context.Context) (<-chan string, error) {
	ch := make(chan string)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

// TestCachedVersionExpires proves a live watch that reports nothing cannot
// keep a version cached forever: past versionMaxAge the backend is asked
// again. The clock is the test's, so nothing sleeps for the max age.
func TestCachedVersionExpires(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	vc := &versionCache{now: func() time.Time { return now }}
	defer vc.stop()
	w := &deafWatcher{}
	w.v.Store(1)
	version := func() int64 {
		t.Helper()
		v, err := vc.version(ctx, w, "c")
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	version() // starts the watch
	deadline := time.Now().Add(30 * time.Second)
	for {
		vc.mu.Lock()
		live := vc.live
		vc.mu.Unlock()
		if live {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the watch did not go live within 30s")
		}
		time.Sleep(time.Millisecond)
	}
	if v := version(); v != 1 { // cached now
		t.Fatalf("version %d, want 1", v)
	}
	w.v.Store(2) // a change whose report never comes
	if v := version(); v != 1 {
		t.Fatalf("within the max age the cache answers: got %d, want the cached 1", v)
	}
	now = now.Add(versionMaxAge - time.Second)
	if v := version(); v != 1 {
		t.Fatalf("just under the max age: got %d, want the cached 1", v)
	}
	now = now.Add(2 * time.Second)
	if v := version(); v != 2 {
		t.Fatalf("past the max age a deaf watch still serves version %d; want the backend's 2", v)
	}
}
