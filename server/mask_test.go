package server_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/server"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/keyset"
)

// TestShowThenUpdateKeepsSecret: the body show returns, sent back to
// update (with or without If-Match), keeps the stored password; create
// refuses the mask with 400.
func TestShowThenUpdateKeepsSecret(t *testing.T) {
	e := newEnv(t)
	if code, out := e.do("POST", create, seedBody); code != http.StatusCreated {
		t.Fatalf("%d %v", code, out)
	}
	for i, ifMatch := range []string{`"1"`, ""} {
		_, shown := e.do("GET", server.Prefix+"show/?name=my-postgres-connection", "")
		data := shown["connection_data"].(map[string]any)
		data["host"] = []string{"db2", "db3"}[i]
		body := jsonOf(t, map[string]any{"name": "my-postgres-connection", "connection_data": data})
		if code, out := e.do("POST", server.Prefix+"update/", body, "If-Match", ifMatch); code != 200 {
			t.Fatalf("update %d: %d %v", i, code, out)
		}
		c, err := e.st.Get(t.Context(), "my-postgres-connection")
		if err != nil || c.Get("password") != canary || c.Get("host") != data["host"] {
			t.Fatalf("after show → update %d: password kept=%v host %q %v", i, c != nil && c.Get("password") == canary, c.Get("host"), err)
		}
	}
	masked := strings.Replace(strings.Replace(seedBody, canary, store.Redacted, 1), "my-postgres-connection", "copy", 1)
	if code, out := e.do("POST", create, masked); code != 400 || !strings.Contains(out["error"].(string), "password") {
		t.Fatalf("create with the mask: %d %v", code, out)
	}
}

// TestUpdateWhenStoredSecretDoesNotOpen: update without If-Match replaces
// a connection whose stored secret no longer opens; delete removes one.
func TestUpdateWhenStoredSecretDoesNotOpen(t *testing.T) {
	home := t.TempDir()
	open := func() *store.Store {
		st := store.Open(store.WithHome(home), store.WithLookupEnv(func(string) (string, bool) { return "", false }))
		t.Cleanup(func() { st.Close() })
		return st
	}
	st := open()
	for _, n := range []string{"a", "b"} {
		c := &store.Connection{Name: n, Type: "postgresql"}
		c.Set("host", "h", false)
		c.Set("user_name", "u", false)
		c.Set("password", canary, true)
		if err := st.Create(t.Context(), c); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	h, err := keyset.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := keyset.Write(filepath.Join(home, store.KeysetFileName), h); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Store: open(), Token: token, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	e := &env{t: t, url: hs.URL}
	body := `{"name":"a","connection_data":{"connection_type":"postgresql","host":"h2","user_name":"u","password":{"value":"new-pw","encrypt":true}}}`
	if code, out := e.do("POST", server.Prefix+"update/", body); code != 200 {
		t.Fatalf("update of a connection that does not open: %d %v", code, out)
	}
	if code, out := e.do("POST", server.Prefix+"delete/", `{"name":"b"}`); code != 200 {
		t.Fatalf("delete of a connection that does not open: %d %v", code, out)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
