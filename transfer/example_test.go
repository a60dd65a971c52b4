package transfer_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite"

	_ "github.com/vapsql/vap/registry/sqlite"
	"github.com/vapsql/vap/transfer"
)

// Copy a query's result from one SQLite database into a new table of
// another. With vap, src and dst come from sql.Open("vap", name).
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "transfer-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	src, _ := sql.Open("sqlite", filepath.Join(dir, "shop.db"))
	defer src.Close()
	dst, _ := sql.Open("sqlite", filepath.Join(dir, "warehouse.db"))
	defer dst.Close()
	_, err = src.ExecContext(ctx, `CREATE TABLE orders (id INTEGER, item TEXT, price TEXT, photo BLOB);
		INSERT INTO orders VALUES (1, 'tea', '3.50', x'ff00'), (2, 'tab	and
newline', NULL, NULL)`)
	if err != nil {
		log.Fatal(err)
	}

	res, err := transfer.Copy(ctx, src, dst, transfer.Options{
		Query:  "SELECT id, item, price, photo FROM orders ORDER BY id",
		Table:  "orders_copy",
		Create: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Rows, "rows by", res.Method)

	rows, err := dst.QueryContext(ctx, "SELECT id, item, price, hex(photo) FROM orders_copy ORDER BY id")
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var item string
		var price sql.NullString
		var photo string
		rows.Scan(&id, &item, &price, &photo)
		fmt.Printf("%d %q %v %q\n", id, item, price, photo)
	}
	// Output:
	// 2 rows by INSERT
	// 1 "tea" {3.50 true} "FF00"
	// 2 "tab\tand\nnewline" { false} ""
}
