// Command pgsqlite is leanbench's PostgreSQL-only Flow on the embedded
// store: the vap driver, the postgresql type and the SQLite store backend
// (the default store, $VAP_HOME/vap.db with $VAP_HOME/keyset.json); open a
// named connection, SELECT 1, exit.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	_ "github.com/vapsql/vap/registry/postgres"
	_ "github.com/vapsql/vap/stdlib"
	_ "github.com/vapsql/vap/store/sqlite"
)

func main() {
	db, err := sql.Open("vap", os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT 1").Scan(&n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(n)
}
