package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/server"
	"github.com/vapsql/vap/store"
)

// FuzzRequests sends the endpoint arbitrary methods, paths, query strings,
// bodies and Authorization headers: no panic, no 500 for bad input, and
// the stored secret in no response.
func FuzzRequests(f *testing.F) {
	st := testenv.Store(f)
	c := &store.Connection{Name: "my-postgres-connection", Type: "postgresql"}
	c.Set("host", "127.0.0.1", false)
	c.Set("port", "1", false)
	c.Set("user_name", "ben", false)
	c.Set("password", canary, true)
	if err := st.Create(context.Background(), c); err != nil {
		f.Fatal(err)
	}
	srv, err := server.New(server.Config{Store: st, Token: token})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint8(0), "show/", "name=my-postgres-connection", "", "Bearer "+token)
	f.Add(uint8(1), "show/", "", `{"name":"my-postgres-connection"}`, "Bearer "+token)
	f.Add(uint8(1), "update/", "", seedBody, "Bearer "+token)
	f.Add(uint8(1), "create/", "", `{"name":"x","connection_data":{"connection_type":"sqlite","path":"/x","path":"/y"}}`, "bearer  "+token+" ")
	f.Add(uint8(1), "delete/", "", `{"name":"x","connection_name":"y"}`, "Basic "+token)
	f.Add(uint8(2), "list/", "name=%ff", "\xff", "Bearer")
	f.Fuzz(func(t *testing.T, m uint8, path, query, body, auth string) {
		if strings.Contains(path, "test") {
			return // the test endpoint dials a database
		}
		method := []string{"GET", "POST", "PUT", "DELETE"}[m%4]
		u := &url.URL{Path: server.Prefix + path, RawQuery: query}
		req := httptest.NewRequest(method, "http://vap.invalid/", strings.NewReader(body))
		req.URL = u
		req.RequestURI = u.RequestURI()
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code == http.StatusInternalServerError {
			t.Fatalf("%s %s?%s: 500 %s", method, path, query, rec.Body)
		}
		if strings.Contains(rec.Body.String(), canary) {
			t.Fatalf("%s %s: the response holds the secret: %s", method, path, rec.Body)
		}
	})
}
