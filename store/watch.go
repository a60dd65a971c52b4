package store

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/vapsql/vap/store/backend"
)

// watchRetry is how long the Store waits before watching again after a
// watch failed or ended.
const watchRetry = time.Second

// versionMaxAge bounds how long a cached version is served: past it,
// Version asks the backend again even though the watch reported nothing.
// A watch that is live but deaf (notifications lost by a connection pooler,
// a session that died silently) can therefore delay a change by at most
// this much. Tests lower it.
var versionMaxAge = 30 * time.Second

// watchDelay defers the watch until the process proves long-lived: it
// starts on the first version check at least watchDelay after the first
// one. A short-lived process (resolve, query, exit) never opens the
// watch's session; until the watch is live, every check is a round trip.
var watchDelay = 2 * time.Second

// cachedVersion is a version and when the backend reported it.
type cachedVersion struct {
	v  int64
	at time.Time
}

// versionCache holds the versions Store.Version returned while a watch was
// live. A report for a name removes it; a report of "" or the end of the
// watch removes everything; an entry older than versionMaxAge is not used.
type versionCache struct {
	mu          sync.Mutex
	live        bool   // a watch is running and has not failed
	running     bool   // a watch goroutine exists
	unsupported bool   // the backend said ErrWatchUnsupported
	stopped     bool   // stop was called: never watch again
	gen         uint64 // moves on every report; a lookup caches only if it did not move
	retryAt     time.Time
	versions    map[string]cachedVersion
	delay       time.Duration // watchDelay for a Store's cache
	first       time.Time     // the first version check
	cancel      context.CancelFunc
	done        chan struct{}
	now         func() time.Time // time.Now unless a test sets it
}

func (vc *versionCache) clock() time.Time {
	if vc.now != nil {
		return vc.now()
	}
	return time.Now()
}

// version returns name's version from the cache, or from b (caching it when
// a watch is live and reported nothing meanwhile).
func (vc *versionCache) version(ctx context.Context, b backend.Backend, name string) (int64, error) {
	vc.mu.Lock()
	if e, ok := vc.versions[name]; ok && vc.live && vc.clock().Sub(e.at) < versionMaxAge {
		vc.mu.Unlock()
		return e.v, nil
	}
	if vc.first.IsZero() {
		vc.first = vc.clock()
	}
	if vc.clock().Sub(vc.first) >= vc.delay {
		vc.startLocked(b)
	}
	live, gen := vc.live, vc.gen
	vc.mu.Unlock()

	asked := vc.clock()
	v, err := b.Version(ctx, name)
	if err != nil {
		return 0, err
	}
	vc.mu.Lock()
	if live && vc.live && vc.gen == gen {
		if vc.versions == nil {
			vc.versions = map[string]cachedVersion{}
		}
		vc.versions[name] = cachedVersion{v: v, at: asked}
	}
	vc.mu.Unlock()
	return v, nil
}

// startLocked starts watching b in the background when b is a Watcher and
// no watch is running.
func (vc *versionCache) startLocked(b backend.Backend) {
	w, ok := b.(backend.Watcher)
	if !ok || vc.running || vc.unsupported || vc.stopped || time.Now().Before(vc.retryAt) {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	vc.running, vc.cancel, vc.done = true, cancel, make(chan struct{})
	go vc.run(ctx, w, vc.done)
}

func (vc *versionCache) run(ctx context.Context, w backend.Watcher, done chan struct{}) {
	defer close(done)
	ch, err := w.Watch(ctx)
	if err != nil {
		vc.mu.Lock()
		vc.running = false
		vc.unsupported = errors.Is(err, backend.ErrWatchUnsupported)
		vc.retryAt = time.Now().Add(watchRetry)
		vc.mu.Unlock()
		return
	}
	vc.mu.Lock()
	vc.live = true
	vc.gen++
	vc.mu.Unlock()
	for name := range ch {
		vc.invalidate(name)
	}
	vc.mu.Lock()
	vc.live, vc.running = false, false
	vc.gen++
	clear(vc.versions)
	vc.retryAt = time.Now().Add(watchRetry)
	vc.mu.Unlock()
}

// invalidate forgets name's version, or every version when name is "".
func (vc *versionCache) invalidate(name string) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	vc.gen++
	if name == "" {
		clear(vc.versions)
		return
	}
	delete(vc.versions, name)
}

// stop ends the watch and waits for it, and forgets everything. No watch
// starts after it (the Store is closed).
func (vc *versionCache) stop() {
	vc.mu.Lock()
	vc.stopped = true
	cancel, done := vc.cancel, vc.done
	vc.cancel, vc.done = nil, nil
	vc.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
	vc.mu.Lock()
	defer vc.mu.Unlock()
	vc.live, vc.running, vc.unsupported = false, false, false
	vc.retryAt = time.Time{}
	vc.gen++
	clear(vc.versions)
}
