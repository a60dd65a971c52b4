package hubserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/vapsql/vap/internal/hubwire"
)

// maxPending is how many distinct names a slow stream may owe before they
// collapse into one "anything may have changed".
const maxPending = 256

// writeTimeout bounds each write to a stream: a process that stopped
// reading (a silent network) is dropped, not waited on.
var writeTimeout = 10 * time.Second

// sub is one open watch stream: the changes it still has to send.
type sub struct {
	mu      sync.Mutex
	pending map[string]struct{}
	all     bool
	wake    chan struct{} // cap 1: something is pending
	gone    chan struct{} // closed when the hub ends the stream
}

// take returns what is pending and clears it.
func (s *sub) take() (names []string, all bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all = s.all
	if !all {
		for n := range s.pending {
			names = append(names, n)
		}
	}
	s.all = false
	clear(s.pending)
	return names, all
}

// subscribers is the set of open streams.
type subscribers struct {
	mu          sync.Mutex
	set         map[*sub]struct{}
	unsupported bool
}

func (ss *subscribers) init() { ss.set = map[*sub]struct{}{} }

func (ss *subscribers) count() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.set)
}

func (ss *subscribers) setUnsupported() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.unsupported = true
}

func (ss *subscribers) add() (*sub, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.unsupported {
		return nil, false
	}
	s := &sub{pending: map[string]struct{}{}, wake: make(chan struct{}, 1), gone: make(chan struct{})}
	ss.set[s] = struct{}{}
	return s, true
}

func (ss *subscribers) remove(s *sub) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.set, s)
}

// broadcast queues a change on every stream.
func (ss *subscribers) broadcast(name string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for s := range ss.set {
		s.mu.Lock()
		if name == "" || len(s.pending) >= maxPending {
			s.all = true
		} else {
			s.pending[name] = struct{}{}
		}
		s.mu.Unlock()
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// endAll ends every stream open now.
func (ss *subscribers) endAll() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for s := range ss.set {
		close(s.gone)
		delete(ss.set, s)
	}
}

// stream serves a watch: once the hub's watch is live and the stream
// subscribed, the live event, then every change, with a ping after each
// heartbeat of silence.
func (h *Hub) stream(w http.ResponseWriter, r *http.Request) {
	// Subscribe first, then wait for the watch: a change reported in
	// between is queued on the stream, none is missed.
	s, ok := h.subs.add()
	if !ok {
		writeError(w, http.StatusNotImplemented, hubwire.CodeNoWatch, "the hub's store cannot be watched; ask for versions instead")
		return
	}
	defer h.subs.remove(s)
	wctx, cancel := context.WithTimeout(r.Context(), h.storeTO)
	err := h.cache.waitLive(wctx)
	cancel()
	if err == nil && !h.cache.isLive() {
		err = context.DeadlineExceeded
	}
	select {
	case <-s.gone: // the watch ended after this stream subscribed
		err = context.DeadlineExceeded
	default:
	}
	if err != nil {
		if r.Context().Err() == nil {
			writeError(w, http.StatusServiceUnavailable, hubwire.CodeUnavailable, "the hub is not watching the store yet")
		}
		return
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(event string, data any) bool {
		rc.SetWriteDeadline(time.Now().Add(writeTimeout))
		var err error
		if event == "" {
			_, err = fmt.Fprint(w, ": ping\n\n")
		} else {
			b, _ := json.Marshal(data)
			_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b)
		}
		return err == nil && rc.Flush() == nil
	}
	if !send(hubwire.EventLive, hubwire.Live{HeartbeatMS: h.beat.Milliseconds()}) {
		return
	}
	beat := time.NewTimer(h.beat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.gone:
			return
		case <-beat.C:
			if !send("", nil) {
				return
			}
		case <-s.wake:
			names, all := s.take()
			if all {
				names = []string{""}
			}
			for _, n := range names {
				ch := hubwire.Change{}
				if n != "" {
					ch.Name = hubwire.EncodeName(n)
				}
				if !send(hubwire.EventChange, ch) {
					return
				}
			}
		}
		beat.Reset(h.beat)
	}
}
