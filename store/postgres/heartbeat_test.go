package postgres_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vapsql/vap/store/postgres"
)

// blackHole is a TCP proxy to the test server that, once frozen, swallows
// every byte in both directions without closing anything: a session that
// died silently, as behind a NAT that forgot it.
type blackHole struct {
	ln     net.Listener
	frozen atomic.Bool
	mu     sync.Mutex
	conns  []net.Conn
}

func newBlackHole(t *testing.T, target string) *blackHole {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &blackHole{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go p.pipe(s, c)
			go p.pipe(c, s)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.conns {
			c.Close()
		}
	})
	return p
}

func (p *blackHole) pipe(dst io.Writer, src io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !p.frozen.Load() {
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// TestWatchEndsWhenSessionGoesSilent proves a LISTEN session that stops
// answering without closing ends the watch (so the Store forgets its cached
// versions and watches again) instead of leaving it live and deaf forever.
func TestWatchEndsWhenSessionGoesSilent(t *testing.T) {
	defer postgres.SetWatchHeartbeat(100*time.Millisecond, 500*time.Millisecond)()
	schema := tempSchema(t)
	u, err := url.Parse(storeURL(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "5432")
	}
	p := newBlackHole(t, target)
	u.Host = p.ln.Addr().String()
	b, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := b.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Live for several heartbeats while the session answers.
	select {
	case _, ok := <-ch:
		if !ok {
			t.Fatal("the watch ended while its session was healthy")
		}
	case <-time.After(time.Second):
	}
	p.frozen.Store(true)
	deadline := time.After(30 * time.Second)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal(errors.New("the watch is still live 30s after its session went silent"))
		}
	}
}
