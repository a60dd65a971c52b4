package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/vapsql/vap/store"
)

// The platform's create payload decodes into a Connection whose secrets never
// print.
func ExampleDecodePayload() {
	payload := `{"name": "my-postgres-connection", "connection_data": {"connection_type": "postgresql",
	  "user_name": "ben", "password": {"value": "secret-password", "encrypt": true},
	  "host": "localhost", "port": 5432, "dbname": "test"}}`
	c, err := store.DecodePayload(strings.NewReader(payload))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c)
	fmt.Printf("%+v\n", c.Fields["password"])
	// Output:
	// my-postgres-connection (postgresql, v0) {dbname: test, host: localhost, password: ********, port: 5432, user_name: ben}
	// ********
}

// Two writers read version 1; the second update is refused instead of
// silently overwriting the first.
func ExampleStore_Update() {
	ctx := context.Background()
	home, _ := os.MkdirTemp("", "vap-example-")
	defer os.RemoveAll(home)
	st := store.Open(store.WithHome(home))
	defer st.Close()

	c := &store.Connection{Name: "pg", Type: "postgresql"}
	c.Set("host", "db1", false)
	c.Set("user_name", "ben", false)
	c.Set("password", "old", false)
	st.Create(ctx, c)

	alice, _ := st.Get(ctx, "pg")
	bob, _ := st.Get(ctx, "pg")
	alice.Set("password", "alice-new", true)
	fmt.Println(st.Update(ctx, alice), alice.Version)
	bob.Set("host", "db2", false)
	err := st.Update(ctx, bob)
	fmt.Println(errors.Is(err, store.ErrConflict))
	// Output:
	// <nil> 2
	// true
}
