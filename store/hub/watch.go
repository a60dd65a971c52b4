package hub

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/vapsql/vap/internal/hubwire"
	"github.com/vapsql/vap/store/backend"
)

// backoffMax bounds the pause before a watch after failures in a row.
var backoffMax = 30 * time.Second

// pause returns how long to wait before watching again after n failures
// in a row: none after a first failure (the Store already waits), then a
// random share of a doubling bound ("full jitter"), so that processes
// cut off together do not come back together.
func pause(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	bound := min(250*time.Millisecond<<min(n, 10), backoffMax)
	return rand.N(bound + 1)
}

// Watch implements backend.Watcher with the hub's event stream. It returns
// once the hub says its own watch is live and this stream is subscribed.
// The channel closes when ctx is done, the hub ends the stream (its watch
// on the store ended), or the stream is silent for longer than the hub's
// heartbeat allows.
func (b *Backend) Watch(ctx context.Context) (<-chan string, error) {
	b.mu.Lock()
	n := b.failures
	b.mu.Unlock()
	if d := pause(n); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	ch, err := b.watch(ctx)
	b.mu.Lock()
	if err != nil {
		b.failures++
	} else {
		b.failures = 0
	}
	b.mu.Unlock()
	return ch, err
}

func (b *Backend) watch(ctx context.Context) (<-chan string, error) {
	sctx, cancel := context.WithCancel(ctx)
	// Until the live event: the request timeout.
	silence := time.AfterFunc(b.timeout, cancel)
	resp, err := b.request(sctx, "watch", hubwire.PathWatch, nil)
	if err != nil {
		silence.Stop()
		cancel()
		if ctx.Err() == nil && sctx.Err() != nil {
			return nil, backend.Unavailable(fmt.Errorf("store/hub: watch: no answer from hub %s in %s", b.base, b.timeout))
		}
		return nil, err
	}
	ev := &events{r: bufio.NewReaderSize(resp.Body, maxLine)}
	fail := func(err error) (<-chan string, error) {
		silence.Stop()
		cancel()
		resp.Body.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, backend.Unavailable(fmt.Errorf("store/hub: watch: hub %s: %w", b.base, err))
	}
	name, data, err := ev.next(silence, 0)
	if err != nil {
		return fail(err)
	}
	var live hubwire.Live
	if name != hubwire.EventLive || json.Unmarshal([]byte(data), &live) != nil || live.HeartbeatMS <= 0 {
		return fail(fmt.Errorf("the stream did not start with a live event"))
	}
	limit := hubwire.SilenceLimit(time.Duration(live.HeartbeatMS) * time.Millisecond)
	ch := make(chan string, 64)
	go func() {
		defer close(ch)
		defer cancel()
		defer resp.Body.Close()
		defer silence.Stop()
		for {
			name, data, err := ev.next(silence, limit)
			if err != nil {
				return
			}
			if name != hubwire.EventChange {
				continue
			}
			var c hubwire.Change
			if json.Unmarshal([]byte(data), &c) != nil {
				c.Name = "" // unreadable: anything may have changed
			}
			select {
			case ch <- hubwire.DecodeName(c.Name):
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}

// events reads server-sent events.
type events struct {
	r *bufio.Reader
}

// maxLine bounds one line of the stream.
const maxLine = 16 << 10

// next returns the next event's name and data. Every line read (a ping
// too) pushes the silence timer limit further (when limit > 0).
func (e *events) next(silence *time.Timer, limit time.Duration) (name, data string, err error) {
	var lines []string
	for {
		line, err := e.r.ReadSlice('\n')
		if err != nil {
			if err == bufio.ErrBufferFull || len(line) > maxLine {
				return "", "", fmt.Errorf("an event line is too long")
			}
			return "", "", err
		}
		if limit > 0 {
			silence.Reset(limit)
		}
		s := strings.TrimRight(string(line), "\r\n")
		switch {
		case s == "":
			if len(lines) == 0 {
				continue
			}
			return name, strings.Join(lines, "\n"), nil
		case strings.HasPrefix(s, ":"):
		case strings.HasPrefix(s, "event:"):
			name = strings.TrimSpace(strings.TrimPrefix(s, "event:"))
		case strings.HasPrefix(s, "data:"):
			lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(s, "data:"), " "))
		}
	}
}
