package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/vapsql/vap/registry/postgres"
	"github.com/vapsql/vap/server"
	"github.com/vapsql/vap/store"
	_ "github.com/vapsql/vap/store/sqlite"
)

// Serve an embedded store and create a connection the way the platform's
// scripts do.
func Example() {
	home, _ := os.MkdirTemp("", "vap-example-")
	defer os.RemoveAll(home)
	st := store.Open(store.WithHome(home), store.WithURL(filepath.Join(home, store.StoreFileName)), store.WithoutEnvOverrides())
	defer st.Close()

	srv, err := server.New(server.Config{Store: st, Token: "s3cr3t-token"})
	if err != nil {
		fmt.Println(err)
		return
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	body := `{"name": "my-postgres-connection", "connection_data": {"connection_type": "postgresql",
		"user_name": "ben", "password": {"value": "secret-password", "encrypt": true},
		"host": "localhost", "port": 5432}}`
	req, _ := http.NewRequest("POST", hs.URL+"/controller/connection/create/", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer s3cr3t-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)

	c, _ := st.Get(req.Context(), "my-postgres-connection")
	fmt.Println(c)
	// Output:
	// 201 Created
	// my-postgres-connection (postgresql, v1) {host: localhost, password: ********, port: 5432, user_name: ben}
}
