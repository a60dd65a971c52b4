package store

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/vapsql/vap/store/backend"
)

// countingWatcher is a Backend whose Watch counts its calls and blocks until
// its context ends; every other method answers version 1.
type countingWatcher struct {
	backend.Backend
	watches atomic.Int32
}

func (w *countingWatcher) Version(context.Context, string) (int64, error) { return 1, nil }

func (w *countingWatcher) Watch(ctx context.Context) (<-chan string, error) {
	w.watches.Add(1)
	ch := make(chan string)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

// TestNoWatchAfterStop proves a Version lookup racing with Close (the
// lookup got past the closed check, then Close stopped the cache) starts no
// watch that nothing would ever stop.
func TestNoWatchAfterStop(t *testing.T) {
	var vc versionCache
	w := &countingWatcher{}
	vc.stop()
	if _, err := vc.version(context.Background(), w, "c"); err != nil {
		t.Fatal(err)
	}
	vc.mu.Lock()
	running, cancel, done := vc.running, vc.cancel, vc.done
	vc.mu.Unlock()
	if running {
		cancel()
		<-done
		t.Fatalf("a stopped version cache started a watch (%d Watch call(s))", w.watches.Load())
	}
}
