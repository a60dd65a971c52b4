package hubserver

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/vapsql/vap/store/backend"
)

// maxAge bounds how long a cached record is served although the watch
// reported nothing (a watch that is live but deaf). Tests lower it.
var maxAge = 30 * time.Second

// entry is a record as the store last returned it, or its absence.
type entry struct {
	rec *backend.Record // nil: not found
	at  time.Time
}

// call is a read of one name from the store in progress; callers of the
// same name wait for it instead of asking again.
type call struct {
	done chan struct{}
	rec  *backend.Record
	err  error
}

// cache holds what the hub read from the store while its watch was live.
// A change reported for a name removes it; a report of "" or the end of
// the watch removes everything. A read caches its answer only if no
// report came while it ran (gen did not move).
type cache struct {
	mu       sync.Mutex
	live     bool
	gen      uint64
	entries  map[string]entry
	inflight map[string]*call
	liveCh   chan struct{} // closed when the watch goes live; replaced when it ends
}

func (c *cache) init() {
	c.entries = map[string]entry{}
	c.inflight = map[string]*call{}
	c.liveCh = make(chan struct{})
}

// lookup returns name's record: from the cache, else from the store (one
// read per name at a time, under the hub's own timeout so that one
// caller going away does not fail the others waiting on it).
func (h *Hub) lookup(ctx context.Context, name string) (*backend.Record, error) {
	c := &h.cache
	c.mu.Lock()
	if e, ok := c.entries[name]; ok && c.live && time.Since(e.at) < maxAge {
		c.mu.Unlock()
		if e.rec == nil {
			return nil, backend.NotFound(name)
		}
		return e.rec, nil
	}
	cl, ok := c.inflight[name]
	if !ok {
		cl = &call{done: make(chan struct{})}
		c.inflight[name] = cl
		live, gen := c.live, c.gen
		go h.read(name, cl, live, gen)
	}
	c.mu.Unlock()
	select {
	case <-cl.done:
		return cl.rec, cl.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (h *Hub) read(name string, cl *call, live bool, gen uint64) {
	c := &h.cache
	asked := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), h.storeTO)
	rec, err := h.b.Get(ctx, name)
	cancel()
	c.mu.Lock()
	delete(c.inflight, name)
	if live && c.live && c.gen == gen && (err == nil || errors.Is(err, backend.ErrNotFound)) {
		c.entries[name] = entry{rec: rec, at: asked}
	}
	c.mu.Unlock()
	cl.rec, cl.err = rec, err
	close(cl.done)
}

// invalidate forgets name, or everything for "".
func (c *cache) invalidate(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if name == "" {
		clear(c.entries)
		return
	}
	delete(c.entries, name)
}

// setLive records the watch's state; going down forgets everything.
func (c *cache) setLive(live bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.live == live {
		return
	}
	c.live = live
	c.gen++
	if live {
		close(c.liveCh)
		return
	}
	clear(c.entries)
	c.liveCh = make(chan struct{})
}

// isLive reports whether the watch is live now.
func (c *cache) isLive() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live
}

// waitLive returns nil once the watch is live, or ctx's error.
func (c *cache) waitLive(ctx context.Context) error {
	c.mu.Lock()
	ch := c.liveCh
	c.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// watch keeps one watch on the store for as long as the hub runs: on each
// report it forgets the name and tells every stream; when the watch ends
// it forgets everything, ends every stream (their processes forget their
// own caches) and watches again after a jittered pause.
func (h *Hub) watch(ctx context.Context) {
	defer close(h.done)
	w, ok := h.b.(backend.Watcher)
	if !ok {
		h.subs.setUnsupported()
		return
	}
	pause := 250 * time.Millisecond
	for ctx.Err() == nil {
		ch, err := w.Watch(ctx)
		if errors.Is(err, backend.ErrWatchUnsupported) {
			h.log.Info("the store cannot be watched: every read goes to the store, and processes cannot watch the hub")
			h.subs.setUnsupported()
			return
		}
		if err == nil {
			h.log.Info("watching the store")
			pause = 250 * time.Millisecond
			h.cache.setLive(true)
		reports:
			for {
				select {
				case name, ok := <-ch:
					if !ok {
						break reports
					}
					h.cache.invalidate(name)
					h.subs.broadcast(name)
				case <-ctx.Done():
					break reports
				}
			}
			h.cache.setLive(false)
			h.subs.endAll()
			if ctx.Err() != nil {
				return
			}
			h.log.Warn("the watch on the store ended; watching again")
		} else if ctx.Err() == nil {
			h.log.Warn("cannot watch the store", "err", err)
		}
		d := pause/2 + rand.N(pause/2+1)
		select {
		case <-ctx.Done():
			return
		case <-time.After(d):
		}
		pause = min(2*pause, 5*time.Second)
	}
}
