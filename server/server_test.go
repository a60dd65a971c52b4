package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/server"
	"github.com/vapsql/vap/store"
)

const (
	token  = "test-token-3b9f"
	canary = "canary-secret-Zq81"
)

// syncBuffer is a log sink the server's goroutines can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type env struct {
	t    *testing.T
	url  string
	st   *store.Store
	logs *syncBuffer
	seen []string // every response body, checked for the canary at the end
}

func newEnv(t *testing.T) *env {
	st := testenv.Store(t)
	logs := &syncBuffer{}
	srv, err := server.New(server.Config{Store: st, Token: token, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv) // real HTTP on 127.0.0.1:0
	t.Cleanup(hs.Close)
	e := &env{t: t, url: hs.URL, st: st, logs: logs}
	t.Cleanup(func() {
		for _, out := range append(e.seen, logs.String()) {
			if strings.Contains(out, canary) {
				t.Errorf("a response or log line holds the secret: %s", out)
			}
		}
	})
	return e
}

// do sends a request with the token (unless auth is given) and returns the
// status and the decoded JSON body.
func (e *env) do(method, path, body string, header ...string) (int, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	e.seen = append(e.seen, string(raw))
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		e.t.Fatalf("%s %s: Content-Type %q, body %s", method, path, ct, raw)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		e.t.Fatalf("%s %s: body is not a JSON object: %s", method, path, raw)
	}
	return resp.StatusCode, out
}

// snapshot is the store's content, to prove a refused request changed
// nothing.
func (e *env) snapshot() string {
	e.t.Helper()
	cs, err := e.st.List(e.t.Context())
	if err != nil {
		e.t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range cs {
		full, err := e.st.Get(e.t.Context(), c.Name)
		if err != nil {
			e.t.Fatal(err)
		}
		// The password as a hash: a failure message must not print it.
		fmt.Fprintf(&b, "%q v%d %v %x\n", c.Name, full.Version, full, sha256.Sum256([]byte(full.Get("password"))))
	}
	return b.String()
}

const seedBody = `{"name": "my-postgres-connection", "connection_data": {
	"connection_type": "postgresql", "user_name": "ben",
	"password": {"value": "` + canary + `", "encrypt": true},
	"host": "localhost", "port": 5432, "dbname": "test"}}`

const create = server.Prefix + "create/"

func TestCreateTheSeedWay(t *testing.T) {
	e := newEnv(t)
	code, out := e.do("POST", create, seedBody)
	if code != http.StatusCreated || out["name"] != "my-postgres-connection" || out["version"] != float64(1) {
		t.Fatalf("create: %d %v", code, out)
	}
	c, err := e.st.Get(t.Context(), "my-postgres-connection")
	if err != nil || c.Get("password") != canary || !c.Fields["password"].Secret || c.Get("port") != "5432" {
		t.Fatalf("stored: %v %v", c, err)
	}
	code, out = e.do("POST", create, seedBody)
	if code != http.StatusConflict {
		t.Fatalf("second create: %d %v", code, out)
	}
}

func TestAuth(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, header string
	}{
		{"none", ""},
		{"wrong token", "Bearer not-the-token"},
		{"token prefix", "Bearer " + token[:len(token)-1]},
		{"token plus", "Bearer " + token + "x"},
		{"basic scheme", "Basic " + token},
		{"bare token", token},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := e.do("POST", create, seedBody, "Authorization", tc.header)
			if code != http.StatusUnauthorized || out["error"] == nil {
				t.Fatalf("%d %v", code, out)
			}
			code, _ = e.do("GET", server.Prefix+"list/", "", "Authorization", tc.header)
			if code != http.StatusUnauthorized {
				t.Fatalf("list: %d", code)
			}
		})
	}
	if s := e.snapshot(); s != "" {
		t.Fatalf("an unauthorized request changed the store: %s", s)
	}
	if code, _ := e.do("GET", server.Prefix+"list/", "", "Authorization", "bearer "+token); code != http.StatusOK {
		t.Fatalf("the scheme is case-insensitive: %d", code)
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	e := newEnv(t)
	if code, out := e.do("POST", create, seedBody); code != http.StatusCreated {
		t.Fatalf("%d %v", code, out)
	}
	before := e.snapshot()
	big := `{"name": "big", "connection_data": {"connection_type": "postgresql", "host": "h", "user_name": "u", "password": {"value": "` +
		canary + strings.Repeat("x", server.MaxBody) + `", "encrypt": true}}}`
	updated := strings.Replace(seedBody, `"host": "localhost"`, `"host": "db2"`, 1)
	tests := []struct {
		name, method, path, body string
		header                   []string
		want                     int
	}{
		{"malformed JSON", "POST", create, `{"name": "x", "connection_data": {"connection_type": "postgresql", "password": {"value": "` + canary + `"`, nil, 400},
		{"not an object", "POST", create, `["` + canary + `"]`, nil, 400},
		{"trailing data", "POST", create, seedBody + `{}`, nil, 400},
		{"unknown type", "POST", create, `{"name": "x", "connection_data": {"connection_type": "cobol", "password": {"value": "` + canary + `", "encrypt": true}}}`, nil, 400},
		{"unknown top-level key", "POST", create, `{"name": "x", "extra": 1, "connection_data": {"connection_type": "postgresql", "host": "h", "user_name": "u"}}`, nil, 400},
		{"missing required field", "POST", create, `{"name": "x", "connection_data": {"connection_type": "postgresql", "password": {"value": "` + canary + `", "encrypt": true}}}`, nil, 400},
		{"invalid port", "POST", create, `{"name": "x", "connection_data": {"connection_type": "postgresql", "host": "h", "user_name": "u", "port": "` + canary + `", "password": {"value": "` + canary + `", "encrypt": true}}}`, nil, 400},
		{"unknown option", "POST", create, `{"name": "x", "connection_data": {"connection_type": "postgresql", "host": "h", "user_name": "u", "options": {"no_such_option": "1"}, "password": {"value": "` + canary + `", "encrypt": true}}}`, nil, 400},
		{"empty name", "POST", create, `{"name": "", "connection_data": {"connection_type": "postgresql", "host": "h", "user_name": "u"}}`, nil, 400},
		{"invalid UTF-8 name", "POST", create, "{\"name\": \"\xff\", \"connection_data\": {\"connection_type\": \"postgresql\", \"host\": \"h\", \"user_name\": \"u\"}}", nil, 400},
		{"body over 1 MiB", "POST", create, big, nil, 413},
		{"update body over 1 MiB", "POST", server.Prefix + "update/", big, nil, 413},
		{"update stale version", "POST", server.Prefix + "update/", updated, []string{"If-Match", `"7"`}, 409},
		{"update bad If-Match", "POST", server.Prefix + "update/", updated, []string{"If-Match", "one"}, 400},
		{"update missing", "POST", server.Prefix + "update/", strings.Replace(updated, "my-postgres-connection", "nope", 1), nil, 404},
		{"update unknown type", "POST", server.Prefix + "update/", strings.Replace(seedBody, `"postgresql"`, `"cobol"`, 1), nil, 400},
		{"create with name and connection_name", "POST", create, `{"name": "x", "connection_name": "y", "connection_data": {"connection_type": "postgresql", "host": "h", "user_name": "u"}}`, nil, 400},
		{"update with name and connection_name", "POST", server.Prefix + "update/", strings.Replace(updated, `"name": "my-postgres-connection"`, `"name": "my-postgres-connection", "connection_name": "other"`, 1), nil, 400},
		{"delete with name and connection_name", "POST", server.Prefix + "delete/", `{"name": "my-postgres-connection", "connection_name": "nope"}`, nil, 400},
		{"delete with connection_name and name", "POST", server.Prefix + "delete/", `{"connection_name": "my-postgres-connection", "name": "nope"}`, nil, 400},
		{"delete missing", "POST", server.Prefix + "delete/", `{"name": "nope"}`, nil, 404},
		{"delete unknown key", "POST", server.Prefix + "delete/", `{"name": "my-postgres-connection", "force": true}`, nil, 400},
		{"delete malformed", "POST", server.Prefix + "delete/", `{"name": `, nil, 400},
		{"show without name", "GET", server.Prefix + "show/", "", nil, 400},
		{"wrong method", "GET", create, "", nil, 405},
		{"delete by GET", "GET", server.Prefix + "delete/?name=my-postgres-connection", "", nil, 405},
		{"unknown endpoint", "POST", server.Prefix + "drop/", "{}", nil, 404},
		{"outside the prefix", "GET", "/", "", nil, 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := e.do(tc.method, tc.path, tc.body, tc.header...)
			if code != tc.want {
				t.Fatalf("status %d, want %d: %v", code, tc.want, out)
			}
			if msg, _ := out["error"].(string); msg == "" {
				t.Fatalf("no JSON error: %v", out)
			}
			if after := e.snapshot(); after != before {
				t.Fatalf("a refused request changed the store:\n%s\nwas\n%s", after, before)
			}
		})
	}
}

func TestListShowUpdateDelete(t *testing.T) {
	e := newEnv(t)
	if code, out := e.do("POST", create, seedBody); code != http.StatusCreated {
		t.Fatalf("%d %v", code, out)
	}
	code, out := e.do("GET", server.Prefix+"list/", "")
	list, _ := out["connections"].([]any)
	if code != 200 || len(list) != 1 || list[0].(map[string]any)["name"] != "my-postgres-connection" {
		t.Fatalf("list: %d %v", code, out)
	}
	for _, show := range []func() (int, map[string]any){
		func() (int, map[string]any) {
			return e.do("GET", server.Prefix+"show/?name=my-postgres-connection", "")
		},
		func() (int, map[string]any) {
			return e.do("POST", server.Prefix+"show/", `{"name": "my-postgres-connection"}`)
		},
	} {
		code, out := show()
		data, _ := out["connection_data"].(map[string]any)
		pw, _ := data["password"].(map[string]any)
		if code != 200 || data["host"] != "localhost" || pw["value"] != store.Redacted || out["version"] != float64(1) {
			t.Fatalf("show: %d %v", code, out)
		}
	}
	updated := strings.NewReplacer(`"host": "localhost"`, `"host": "db2"`, canary, canary+"-v2").Replace(seedBody)
	code, out = e.do("POST", server.Prefix+"update/", updated, "If-Match", `"1"`)
	if code != 200 || out["version"] != float64(2) {
		t.Fatalf("update: %d %v", code, out)
	}
	code, out = e.do("POST", server.Prefix+"update/", updated) // no If-Match: replace the current version
	if code != 200 || out["version"] != float64(3) {
		t.Fatalf("update: %d %v", code, out)
	}
	c, err := e.st.Get(t.Context(), "my-postgres-connection")
	if err != nil || c.Get("host") != "db2" || c.Get("password") != canary+"-v2" {
		t.Fatalf("after update: %v %v", c, err)
	}
	if code, out := e.do("POST", server.Prefix+"delete/", `{"name": "my-postgres-connection"}`); code != 200 {
		t.Fatalf("delete: %d %v", code, out)
	}
	code, out = e.do("GET", server.Prefix+"show/?name=my-postgres-connection", "")
	want := "No connection found with name: my-postgres-connection. Please check your connection name and verify that a connection with that name exists in the connection store."
	if code != 404 || out["error"] != want {
		t.Fatalf("show after delete: %d %v", code, out)
	}
}

func TestTestEndpoint(t *testing.T) {
	e := newEnv(t)
	path := filepath.Join(t.TempDir(), "ok.db")
	body := `{"name": "lite", "connection_data": {"connection_type": "sqlite", "path": "` + path + `"}}`
	if code, out := e.do("POST", create, body); code != http.StatusCreated {
		t.Fatalf("%d %v", code, out)
	}
	// A PostgreSQL that is not there, with the canary as password.
	down := `{"name": "down", "connection_data": {"connection_type": "postgresql", "host": "127.0.0.1", "port": 1, "user_name": "u",
		"password": {"value": "` + canary + `", "encrypt": true}, "options": {"connect_timeout": "5"}}}`
	if code, out := e.do("POST", create, down); code != http.StatusCreated {
		t.Fatalf("%d %v", code, out)
	}
	tests := []struct {
		name string
		want int
	}{
		{"lite", 200},
		{"down", 502},
		{"missing", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := e.do("POST", server.Prefix+"test/", `{"name": "`+tc.name+`"}`)
			if code != tc.want {
				t.Fatalf("%d, want %d: %v", code, tc.want, out)
			}
			if tc.want == 200 && (out["ok"] != true || out["connection_type"] != "sqlite") {
				t.Fatalf("%v", out)
			}
		})
	}
	// A password given as a reference to an unset variable: the step is
	// named; create and show carry the reference as is.
	ref := `{"name": "ref", "connection_data": {"connection_type": "postgresql", "host": "127.0.0.1", "user_name": "u",
		"password": {"ref": "env:VAP_TEST_SERVER_UNSET_VAR"}}}`
	if code, out := e.do("POST", create, ref); code != http.StatusCreated {
		t.Fatalf("%d %v", code, out)
	}
	if _, out := e.do("GET", server.Prefix+"show/?name=ref", ""); out["connection_data"].(map[string]any)["password"].(map[string]any)["ref"] != "env:VAP_TEST_SERVER_UNSET_VAR" {
		t.Fatalf("show: %v", out)
	}
	if code, out := e.do("POST", server.Prefix+"test/", `{"name": "ref"}`); code != 502 || out["step"] != "reference resolution" || !strings.Contains(out["error"].(string), "VAP_TEST_SERVER_UNSET_VAR is not set") {
		t.Fatalf("test of an unresolvable reference: %d %v", code, out)
	}
	if _, out := e.do("POST", server.Prefix+"test/", `{"name": "down"}`); out["step"] != "network" {
		t.Fatalf("test of a closed port: %v", out)
	}
	if !strings.Contains(e.logs.String(), `"connection":"down"`) {
		t.Errorf("the log does not name the connection: %s", e.logs.String())
	}
}

func TestNewRefusesEmptyToken(t *testing.T) {
	if _, err := server.New(server.Config{Store: testenv.Store(t)}); err == nil {
		t.Fatal("New accepted an empty token")
	}
}
