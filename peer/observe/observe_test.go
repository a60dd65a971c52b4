package observe_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/peer/observe"
)

// Remote is what the conformance suite takes as its Observer.
var _ conformance.Observer = (*observe.Remote)(nil)

// fakePeer runs the statements in running and has sessions open.
type fakePeer struct {
	mu       sync.Mutex
	running  []string
	sessions int
}

func (p *fakePeer) RunningStatements() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.running)
}

func (p *fakePeer) DropSessions() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.sessions
	p.sessions, p.running = 0, nil
	return n
}

const token = "peer-secret-token-value"

func serve(t *testing.T, p observe.Observable, refused *int) *httptest.Server {
	t.Helper()
	h := &observe.Handler{Peer: p, Authorized: observe.Token(token), Refused: func() { *refused++ }}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// TestRemote: Running and DropSessions through the Handler see and change
// the peer.
func TestRemote(t *testing.T) {
	p := &fakePeer{running: []string{"SELECT 1", "SELECT sleep(60)"}, sessions: 3}
	var refused int
	srv := serve(t, p, &refused)
	r := &observe.Remote{URL: srv.URL + "/", Token: token}
	ctx := context.Background()
	got, err := r.Running(ctx)
	if err != nil || !slices.Equal(got, []string{"SELECT 1", "SELECT sleep(60)"}) {
		t.Fatalf("Running = %q, %v", got, err)
	}
	if n, err := r.DropSessions(ctx); n != 3 || err != nil {
		t.Fatalf("DropSessions = %d, %v; want 3", n, err)
	}
	if got, err := r.Running(ctx); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("Running after the drop = %#v, %v; want an empty list", got, err)
	}
	if n, err := r.DropSessions(ctx); n != 0 || err != nil {
		t.Fatalf("second DropSessions = %d, %v; want 0", n, err)
	}
	if refused != 0 {
		t.Errorf("%d requests refused", refused)
	}
}

// TestRefused: a wrong or missing token, a wrong method, an unknown path
// and a bad URL are errors naming the call, never the token, and change
// nothing.
func TestRefused(t *testing.T) {
	p := &fakePeer{sessions: 2}
	var refused int
	srv := serve(t, p, &refused)
	ctx := context.Background()
	const wrong = "wrong-token-value"
	for _, tc := range []struct {
		name string
		call func() error
		want string
	}{
		{"wrong token running", func() error { _, err := (&observe.Remote{URL: srv.URL, Token: wrong}).Running(ctx); return err },
			"GET /vap/peer/running: HTTP 401 UNAUTHENTICATED"},
		{"wrong token drop", func() error { _, err := (&observe.Remote{URL: srv.URL, Token: wrong}).DropSessions(ctx); return err },
			"POST /vap/peer/drop-sessions: HTTP 401 UNAUTHENTICATED"},
		{"no token", func() error { _, err := (&observe.Remote{URL: srv.URL}).DropSessions(ctx); return err }, "HTTP 401"},
		{"wrong method", func() error {
			return observe.Call(ctx, nil, srv.URL, token, http.MethodGet, observe.DropPath, new(observe.Dropped))
		}, "HTTP 405 BAD_REQUEST"},
		{"unknown path", func() error {
			return observe.Call(ctx, nil, srv.URL, token, http.MethodGet, "/vap/peer/other", new(observe.Running))
		}, "HTTP 404 NOT_FOUND"},
		{"not a URL", func() error { _, err := (&observe.Remote{URL: "localhost:1", Token: wrong}).Running(ctx); return err },
			"not an http(s) URL"},
		{"nobody listens", func() error {
			_, err := (&observe.Remote{URL: "http://127.0.0.1:1", Token: wrong}).Running(ctx)
			return err
		}, "GET /vap/peer/running"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), token) {
				t.Fatalf("error %v; want one containing %q and no token", err, tc.want)
			}
		})
	}
	if p.sessions != 2 {
		t.Errorf("a refused call changed the sessions: %d", p.sessions)
	}
	if refused != 3 {
		t.Errorf("Refused called %d times, want 3", refused)
	}
}

// TestAuthorized: an empty Token and a nil Authorized accept nothing.
func TestAuthorized(t *testing.T) {
	if observe.Token("")("") || observe.Token("a")("b") || !observe.Token("a")("a") {
		t.Error("Token: wrong answer")
	}
	p := &fakePeer{sessions: 1}
	srv := httptest.NewServer(&observe.Handler{Peer: p})
	defer srv.Close()
	if _, err := (&observe.Remote{URL: srv.URL, Token: "any"}).DropSessions(context.Background()); err == nil || p.sessions != 1 {
		t.Fatalf("a handler without Authorized let a drop through: %v, sessions %d", err, p.sessions)
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "bearer abc")
	if tok, ok := observe.BearerToken(r); !ok || tok != "abc" {
		t.Errorf("BearerToken = %q, %v", tok, ok)
	}
	r.Header.Set("Authorization", "Basic abc")
	if _, ok := observe.BearerToken(r); ok {
		t.Error("BearerToken accepted a Basic header")
	}
}
