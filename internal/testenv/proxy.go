package testenv

import (
	"net"
	"sync"
	"testing"
)

// ProxyMode is how a Proxy treats traffic.
type ProxyMode int

// The modes of a Proxy.
const (
	// Forward copies bytes both ways.
	Forward ProxyMode = iota
	// BlackHole keeps every socket open and moves no byte any more, on
	// connections already open and new ones alike: a peer that went silent
	// (a half-open TCP connection, a firewall dropping packets). No RST, no
	// FIN: only a deadline ends a wait.
	BlackHole
	// Reset closes every open connection with an RST and resets every new
	// one at once: a peer that is down.
	Reset
)

// Proxy is a TCP proxy on a loopback port in front of one address, whose
// mode a test switches to make the peer behind it fail in a chosen way.
type Proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	mode  ProxyMode
	wake  chan struct{} // closed when the mode changes
	conns map[net.Conn]struct{}
}

// StartProxy listens on 127.0.0.1 and forwards to target until the test
// ends.
func StartProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target, wake: make(chan struct{}), conns: map[net.Conn]struct{}{}}
	go p.accept()
	t.Cleanup(p.Close)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Port is the proxy's port.
func (p *Proxy) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// SetMode switches the proxy's behaviour for open and new connections.
func (p *Proxy) SetMode(m ProxyMode) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = m
	close(p.wake)
	p.wake = make(chan struct{})
	if m == Reset {
		for c := range p.conns {
			reset(c)
		}
	}
}

// Close stops listening and closes every connection.
func (p *Proxy) Close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		reset(c)
	}
}

func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

func (p *Proxy) state() (ProxyMode, chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mode, p.wake
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode == Reset {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			reset(c)
			continue
		}
		go p.serve(c)
	}
}

func (p *Proxy) serve(c net.Conn) {
	for {
		mode, wake := p.state()
		if mode == Reset {
			reset(c)
			return
		}
		if mode == Forward {
			break
		}
		<-wake // silent: accept, never answer, until the mode changes
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		reset(c)
		return
	}
	p.mu.Lock()
	p.conns[up] = struct{}{}
	p.mu.Unlock()
	go p.pipe(up, c)
	p.pipe(c, up)
}

// pipe copies src to dst while the mode is Forward; in BlackHole it holds
// what it read until the mode changes back (the bytes are dropped: the peer
// never answers them).
func (p *Proxy) pipe(dst, src net.Conn) {
	defer func() { reset(dst); reset(src) }()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			for {
				mode, wake := p.state()
				if mode == Reset {
					return
				}
				if mode == Forward {
					break
				}
				<-wake
				if m, _ := p.state(); m == Forward {
					n = 0 // what was sent into the silence is lost
				}
			}
			if n > 0 {
				if _, err := dst.Write(buf[:n]); err != nil {
					return
				}
			}
		}
		if err != nil {
			return // EOF or a closed socket: close both sides
		}
	}
}
