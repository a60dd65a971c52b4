package server_test

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/server"
	"github.com/vapsql/vap/store"
	_ "github.com/vapsql/vap/store/postgres"
)

// TestSilentStoreRequestsTimeOut: with a store that accepts and never
// answers, list and test answer within their timeouts (504 / 502) instead
// of hanging.
func TestSilentStoreRequestsTimeOut(t *testing.T) {
	u, err := url.Parse(testenv.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	testenv.Postgres(t) // skips (or fails under VAP_TEST_REQUIRE_SERVERS) without a server
	p := testenv.StartProxy(t, u.Host)
	p.SetMode(testenv.BlackHole)
	u.Host = p.Addr()
	var b [6]byte
	rand.Read(b[:])
	q := u.Query()
	q.Set("schema", "vap_test_"+hex.EncodeToString(b[:])) // never created: the store never answers
	u.RawQuery = q.Encode()
	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(store.WithURL(u.String()), store.WithKeyset(h), store.WithoutEnvOverrides())
	t.Cleanup(func() { p.Close(); st.Close() })
	srv, err := server.New(server.Config{Store: st, Token: token, TestTimeout: time.Second, StoreTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	client := &http.Client{Timeout: 20 * time.Second}
	for _, tc := range []struct {
		method, path, body string
		want               int
	}{
		{"GET", "list/", "", http.StatusGatewayTimeout},
		{"POST", "test/", `{"name":"anything"}`, http.StatusGatewayTimeout},
	} {
		req, _ := http.NewRequest(tc.method, hs.URL+server.Prefix+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s on a silent store: %v (the request hung)", tc.method, tc.path, err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s %s on a silent store: status %d, want %d", tc.method, tc.path, resp.StatusCode, tc.want)
		}
	}
}
