package databricks_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/databricks"
	"github.com/vapsql/vap/store"
)

const httpPath = "/sql/1.0/warehouses/abc123"

// seen is one request the fake warehouse received.
type seen struct {
	Path, Auth string
	Call       call
	Err        error
}

// warehouse is an httptest server that answers the Thrift OpenSession and
// CloseSession calls and records what it saw.
type warehouse struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []seen
	// status, when non-zero, is returned instead of a Thrift answer, with
	// body.
	status int
	body   string
}

func newWarehouse(t *testing.T) *warehouse {
	w := &warehouse{}
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s := seen{Path: r.URL.Path, Auth: r.Header.Get("Authorization")}
		var seq int32
		s.Call, seq, s.Err = readCall(b)
		w.mu.Lock()
		w.reqs = append(w.reqs, s)
		status, body := w.status, w.body
		w.mu.Unlock()
		if status != 0 {
			http.Error(rw, body, status)
			return
		}
		if s.Err != nil {
			http.Error(rw, "bad thrift", http.StatusBadRequest)
			return
		}
		rw.Header().Set("Content-Type", "application/x-thrift")
		rw.Write(reply(s.Call.Name, seq))
	}))
	t.Cleanup(w.srv.Close)
	return w
}

func (w *warehouse) port() string {
	u, _ := url.Parse(w.srv.URL)
	return u.Port()
}

func (w *warehouse) opens() []seen {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []seen
	for _, s := range w.reqs {
		if s.Call.Name == "OpenSession" {
			out = append(out, s)
		}
	}
	return out
}

func (w *warehouse) all() []seen {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]seen(nil), w.reqs...)
}

// tokenEndpoint is an OAuth client-credentials endpoint that issues
// "m2m-token-N" tokens valid for expiresIn seconds.
type tokenEndpoint struct {
	srv       *httptest.Server
	n         atomic.Int64
	expiresIn int
	delay     time.Duration
	status    int
	body      string
	echoAuth  bool // append the request's Authorization header to body
	mu        sync.Mutex
	bad       []string
}

func newTokenEndpoint(t *testing.T, id, secret string) *tokenEndpoint {
	e := &tokenEndpoint{expiresIn: 3600}
	e.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		n := e.n.Add(1)
		if e.delay > 0 {
			time.Sleep(e.delay)
		}
		// RFC 6749 2.3.1: id and secret are form-encoded inside Basic auth.
		u, p, ok := r.BasicAuth()
		u, _ = url.QueryUnescape(u)
		p, _ = url.QueryUnescape(p)
		r.ParseForm()
		var problems []string
		if !ok || u != id || p != secret {
			problems = append(problems, "client authentication")
		}
		if r.Form.Get("grant_type") != "client_credentials" || r.Form.Get("scope") != "all-apis" {
			problems = append(problems, "grant "+r.Form.Encode())
		}
		if len(problems) > 0 {
			e.mu.Lock()
			e.bad = append(e.bad, problems...)
			e.mu.Unlock()
		}
		if e.status != 0 {
			body := e.body
			if e.echoAuth {
				body += " " + r.Header.Get("Authorization")
			}
			http.Error(rw, body, e.status)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		json.NewEncoder(rw).Encode(map[string]any{"access_token": fmt.Sprintf("m2m-token-%d", n), "token_type": "Bearer", "expires_in": e.expiresIn})
	}))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *tokenEndpoint) problems() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.bad
}

// exchangeEndpoint is a Posit Connect credentials endpoint.
type exchangeEndpoint struct {
	srv    *httptest.Server
	n      atomic.Int64
	status int
	body   string
	mu     sync.Mutex
	bad    []string
}

func newExchange(t *testing.T, apiKey, sessionToken string) *exchangeEndpoint {
	e := &exchangeEndpoint{}
	e.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		n := e.n.Add(1)
		r.ParseForm()
		var problems []string
		if r.Method != http.MethodPost || r.URL.Path != "/__api__/v1/oauth/integrations/credentials" {
			problems = append(problems, r.Method+" "+r.URL.Path)
		}
		if r.Header.Get("Authorization") != "Key "+apiKey {
			problems = append(problems, "Authorization header")
		}
		if r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:token-exchange" ||
			r.PostForm.Get("subject_token_type") != "urn:posit:connect:content-session-token" {
			problems = append(problems, "form")
		}
		if r.PostForm.Get("subject_token") != sessionToken {
			problems = append(problems, "subject_token")
		}
		if len(problems) > 0 {
			e.mu.Lock()
			e.bad = append(e.bad, problems...)
			e.mu.Unlock()
		}
		if e.status != 0 {
			http.Error(rw, e.body, e.status)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		json.NewEncoder(rw).Encode(map[string]any{"access_token": fmt.Sprintf("exchanged-token-%d", n),
			"issued_token_type": "urn:ietf:params:oauth:token-type:access_token", "token_type": "Bearer"})
	}))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *exchangeEndpoint) problems() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.bad
}

// env is an injected environment.
type env map[string]string

func (e env) lookup(k string) (string, bool) { v, ok := e[k]; return v, ok }

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// open stores connection name with fields in a private store whose
// registry holds a databricks type built with opts, and opens it through
// the vap driver.
func open(t *testing.T, name string, fields map[string]string, opts ...databricks.Option) *sql.DB {
	t.Helper()
	reg := &registry.Registry{}
	reg.Register(databricks.New(opts...))
	home := t.TempDir()
	st := store.Open(store.WithHome(home), store.WithURL(filepath.Join(home, store.StoreFileName)),
		store.WithLookupEnv(func(string) (string, bool) { return "", false }), store.WithRegistry(reg))
	t.Cleanup(func() { st.Close() })
	testenv.Put(t, st, name, "databricks", fields)
	db := testenv.OpenDB(t, st, name)
	return db
}

// fields returns the base fields of a connection to w.
func fields(w *warehouse, extra map[string]string) map[string]string {
	f := map[string]string{"server_hostname": "localhost", "port": w.port(), "http_path": httpPath}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

func connect(t *testing.T, db *sql.DB) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	return c.Close()
}
