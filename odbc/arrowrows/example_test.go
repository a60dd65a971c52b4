package arrowrows_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/vapsql/vap/odbc"
	"github.com/vapsql/vap/odbc/arrowrows"
)

// Example converts a result to an Arrow record batch, and streams the same
// query into an Arrow IPC stream.
func Example() {
	dir, err := os.MkdirTemp("", "arrowrows-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", filepath.Join(dir, "shop.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.Exec(`CREATE TABLE orders (id INTEGER, item TEXT, price REAL);
		INSERT INTO orders VALUES (1, 'tea', 3.5), (2, NULL, 12.25)`); err != nil {
		log.Fatal(err)
	}

	rows, err := odbc.OdbcToRowsDB(ctx, db, "SELECT id, item, price FROM orders ORDER BY id")
	if err != nil {
		log.Fatal(err)
	}
	rec, err := arrowrows.Record(rows, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Release()
	for j, f := range rec.Schema().Fields() {
		db, _ := f.Metadata.GetValue(arrowrows.MetaDatabaseType)
		fmt.Printf("%s %s (%s): %s\n", f.Name, f.Type, db, rec.Column(j))
	}

	var buf bytes.Buffer
	n, err := arrowrows.WriteFile(&buf, arrowrows.ArrowStream, odbc.StreamBatchesDB(ctx, db, "SELECT id, item, price FROM orders"), nil)
	if err != nil {
		log.Fatal(err)
	}
	r, err := ipc.NewReader(&buf)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Release()
	fmt.Println(n, "rows streamed; read back:", r.Next() && r.RecordBatch().NumRows() == 2)
	// Output:
	// id int64 (INTEGER): [1 2]
	// item utf8 (TEXT): ["tea" (null)]
	// price float64 (REAL): [3.5 12.25]
	// 2 rows streamed; read back: true
}
