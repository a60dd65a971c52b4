// Command all is leanbench's all-types Flow: the compatibility bundle
// (every connection type, both store backends), open a named connection,
// SELECT 1, exit.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	_ "github.com/vapsql/vap/driver"
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
