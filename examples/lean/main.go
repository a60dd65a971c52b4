// Command lean is a PostgreSQL-only Flow: it links the vap driver
// (package stdlib), the postgresql connection type and the PostgreSQL
// store backend, and nothing else: no MySQL, SQL Server, Oracle,
// Databricks or SQLite code is compiled in. It opens the named connection,
// runs SELECT 1 and exits.
//
//	VAP_STORE=postgres://vap@db.internal/vap VAP_KEYSET_FILE=/etc/vap/keyset.json \
//	  go run ./examples/lean warehouse
//
// or, with no store at all, from the environment:
//
//	VAP_CONN_WAREHOUSE='{"connection_type":"postgresql","host":"127.0.0.1","user_name":"root","dbname":"test"}' \
//	  go run ./examples/lean warehouse
//
// A connection of a type this program does not link, or a VAP_STORE whose
// backend it does not link, fails with an error naming the package to
// import. internal/cmd/leanbench compares its size and start-up time with a
// pgx-only program and with the all-types bundle.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	_ "github.com/vapsql/vap/registry/postgres" // the postgresql type (and sqlalchemy-redshift)
	_ "github.com/vapsql/vap/stdlib"            // the "vap" database/sql driver
	_ "github.com/vapsql/vap/store/postgres"    // the shared store, VAP_STORE=postgres://…
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: lean CONNECTION-NAME")
		os.Exit(2)
	}
	n, err := selectOne(context.Background(), os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(n)
}

// selectOne opens connection name through vap and returns SELECT 1.
func selectOne(ctx context.Context, name string) (int, error) {
	db, err := sql.Open("vap", name)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, "SELECT 1").Scan(&n)
	return n, err
}
