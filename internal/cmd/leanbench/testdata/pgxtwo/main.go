// Command pgxtwo is the floor under a Flow that resolves its connection
// from a PostgreSQL store: with pgx's database/sql driver directly, connect
// to the store's server and read the record (the lookup query vap runs, on
// the schema in LEANBENCH_SCHEMA), then connect to the database and
// SELECT 1, exit. Two server connections, one after the other, whatever
// the code around them.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
)

func main() {
	if err := run(context.Background(), os.Args[1], os.Getenv("LEANBENCH_SCHEMA")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, url, schema string) error {
	st, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	var fields string
	err = st.QueryRowContext(ctx, "SELECT fields::text FROM "+pgx.Identifier{schema, "vap_connections"}.Sanitize()+" WHERE name = $1", "bench").Scan(&fields)
	st.Close()
	if err != nil {
		return err
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil {
		return err
	}
	fmt.Println(n)
	return nil
}
