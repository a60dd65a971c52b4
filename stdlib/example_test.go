package stdlib_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

// An administrator stores a connection once; a Flow opens it by name.
func ExampleNewConnector() {
	ctx := context.Background()
	home, _ := os.MkdirTemp("", "vap-example-")
	defer os.RemoveAll(home)
	st := store.Open(store.WithHome(home))
	defer st.Close()

	c := &store.Connection{Name: "warehouse", Type: "sqlite"}
	c.Set("path", filepath.Join(home, "warehouse.db"), false)
	if err := st.Create(ctx, c); err != nil {
		fmt.Println(err)
		return
	}

	conn, err := stdlib.NewConnector("warehouse", stdlib.WithStore(st))
	if err != nil {
		fmt.Println(err)
		return
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	db.Exec(`CREATE TABLE parts (id INTEGER, name TEXT)`)
	db.Exec(`INSERT INTO parts VALUES (1, 'gear'), (2, 'shaft')`)
	var n int
	db.QueryRow(`SELECT count(*) FROM parts`).Scan(&n)
	fmt.Println("type:", conn.Type().Name, "placeholder:", conn.Type().Placeholder(1), "rows:", n)
	// Output: type: sqlite placeholder: ? rows: 2
}

// A name the store does not hold fails with the platform's message.
func ExampleNewConnector_missing() {
	key, _ := store.NewKeyset()
	st := store.Open(store.WithKeyset(key), store.WithURL(":memory:"))
	defer st.Close()
	_, err := stdlib.NewConnector("databricks-default", stdlib.WithStore(st))
	fmt.Println(err)
	fmt.Println(errors.Is(err, store.ErrNotFound))
	// Output:
	// No connection found with name: databricks-default. Please check your connection name and verify that a connection with that name exists in the connection store.
	// true
}
