package hubserver_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/hubwire"
	"github.com/vapsql/vap/server/hubserver"
	"github.com/vapsql/vap/store/backend"
)

const token = "hub-test-token-canary-31"

// fake is an in-memory store whose watch the test drives.
type fake struct {
	backend.Backend // writes are not used
	mu              sync.Mutex
	recs            map[string]*backend.Record
	gets            int
	watches         chan chan string // each Watch takes the next channel
}

func (f *fake) Get(_ context.Context, name string) (*backend.Record, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	r, ok := f.recs[name]
	if !ok {
		return nil, backend.NotFound(name)
	}
	cp := *r
	return &cp, nil
}

func (f *fake) set(name string, v int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.recs[name] = &backend.Record{Name: name, Type: "t", Version: v, Fields: map[string]backend.SealedField{"password": {Value: "c2VhbGVk", Secret: true}}}
}

func (f *fake) Watch(ctx context.Context) (<-chan string, error) {
	select {
	case ch := <-f.watches:
		return ch, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func newHub(t *testing.T) (*fake, *hubserver.Hub, *httptest.Server, chan string) {
	t.Helper()
	f := &fake{recs: map[string]*backend.Record{}, watches: make(chan chan string, 4)}
	up := make(chan string)
	f.watches <- up
	h, err := hubserver.New(hubserver.Config{Backend: f, Token: token, Heartbeat: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		h.Close()
		srv.Close()
	})
	return f, h, srv, up
}

func get(t *testing.T, srv *httptest.Server, path, tok string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAuthAndRoutes(t *testing.T) {
	f, _, srv, _ := newHub(t)
	f.set("a", 1)
	for _, tok := range []string{"", "wrong-token-canary", strings.ToUpper(token)} {
		code, body := get(t, srv, hubwire.PathGet+"?name=a", tok)
		if code != http.StatusUnauthorized || strings.Contains(body, "c2VhbGVk") || (tok != "" && strings.Contains(body, tok)) {
			t.Fatalf("token %q: %d %s", tok, code, body)
		}
	}
	if code, body := get(t, srv, hubwire.PathGet, token); code != http.StatusBadRequest {
		t.Fatalf("no name: %d %s", code, body)
	}
	if code, body := get(t, srv, hubwire.Prefix+"nope", token); code != http.StatusNotFound {
		t.Fatalf("unknown path: %d %s", code, body)
	}
	if code, body := get(t, srv, hubwire.PathGet+"?name=zz", token); code != http.StatusNotFound || !strings.Contains(body, hubwire.CodeNotFound) {
		t.Fatalf("missing name: %d %s", code, body)
	}
	req, _ := http.NewRequest("POST", srv.URL+hubwire.PathGet+"?name=a", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d", resp.StatusCode)
	}
}

// While the watch is live, a name is read from the store once, then
// served from the cache until the watch reports it; a report makes the
// next read go to the store.
func TestCacheFollowsWatch(t *testing.T) {
	f, _, srv, up := newHub(t)
	f.set("a", 1)
	stream := openStream(t, srv) // returns once the watch is live
	defer stream.Close()
	for range 5 {
		if code, body := get(t, srv, hubwire.PathVersion+"?name=a", token); code != 200 || !strings.Contains(body, `"version":1`) {
			t.Fatalf("version: %d %s", code, body)
		}
	}
	if f.gets != 1 {
		t.Fatalf("%d reads of the store for 5 version requests, want 1", f.gets)
	}
	f.set("a", 2)
	up <- "a"
	if ev := stream.next(t); ev != hubwire.EventChange {
		t.Fatalf("event %q, want a change", ev)
	}
	if _, body := get(t, srv, hubwire.PathVersion+"?name=a", token); !strings.Contains(body, `"version":2`) {
		t.Fatalf("version after the report: %s", body)
	}
}

// When the hub's watch ends, every stream ends and the cache is
// forgotten.
func TestStreamsEndWithTheWatch(t *testing.T) {
	f, h, srv, up := newHub(t)
	f.set("a", 1)
	s1, s2 := openStream(t, srv), openStream(t, srv)
	defer s1.Close()
	defer s2.Close()
	get(t, srv, hubwire.PathVersion+"?name=a", token)
	if h.Subscribers() != 2 {
		t.Fatalf("%d subscribers, want 2", h.Subscribers())
	}
	close(up)
	for _, s := range []*stream{s1, s2} {
		if ev := s.next(t); ev != "EOF" {
			t.Fatalf("stream after the watch ended: %q, want its end", ev)
		}
	}
	before := f.gets
	f.watches <- make(chan string) // the hub watches again
	s3 := openStream(t, srv)
	defer s3.Close()
	get(t, srv, hubwire.PathVersion+"?name=a", token)
	if f.gets != before+1 {
		t.Fatal("the cache survived the end of the watch")
	}
}

// A stream whose reader is slow gets the distinct names once each, or one
// "anything changed" when too many pile up: memory per stream is bounded.
func TestSlowStreamCoalesces(t *testing.T) {
	_, _, srv, up := newHub(t)
	s := openStream(t, srv)
	defer s.Close()
	for i := range 1000 {
		up <- "n" + string(rune('a'+i%26))
	}
	seen := 0
	for seen < 26 {
		ev := s.next(t)
		if ev != hubwire.EventChange {
			t.Fatalf("event %q", ev)
		}
		if s.data == "{}" {
			return // collapsed into "anything may have changed"
		}
		seen++
	}
}

type stream struct {
	resp *http.Response
	buf  []byte
	data string
}

func openStream(t *testing.T, srv *httptest.Server) *stream {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+hubwire.PathWatch, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("watch: %d", resp.StatusCode)
	}
	s := &stream{resp: resp}
	if ev := s.next(t); ev != hubwire.EventLive {
		t.Fatalf("first event %q, want live", ev)
	}
	var l hubwire.Live
	if err := json.Unmarshal([]byte(s.data), &l); err != nil || l.HeartbeatMS != 50 {
		t.Fatalf("live event data %q", s.data)
	}
	return s
}

func (s *stream) Close() { s.resp.Body.Close() }

// next returns the next event's name ("EOF" at the end), skipping pings.
func (s *stream) next(t *testing.T) string {
	t.Helper()
	for {
		if i := strings.Index(string(s.buf), "\n\n"); i >= 0 {
			block := string(s.buf[:i])
			s.buf = s.buf[i+2:]
			var name string
			s.data = ""
			for _, l := range strings.Split(block, "\n") {
				if v, ok := strings.CutPrefix(l, "event: "); ok {
					name = v
				} else if v, ok := strings.CutPrefix(l, "data: "); ok {
					s.data = v
				}
			}
			if name != "" {
				return name
			}
			continue
		}
		b := make([]byte, 4096)
		n, err := s.resp.Body.Read(b)
		s.buf = append(s.buf, b[:n]...)
		if err != nil && n == 0 {
			return "EOF"
		}
	}
}
