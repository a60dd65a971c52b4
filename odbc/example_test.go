package odbc_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vapsql/vap/odbc"
	"github.com/vapsql/vap/store"
)

// exampleStore is a connection store in a temporary directory holding one
// embedded SQLite connection named "local" with a small table.
func exampleStore() (*store.Store, func()) {
	home, err := os.MkdirTemp("", "odbc-example")
	if err != nil {
		panic(err)
	}
	st := store.Open(store.WithHome(home), store.WithURL(filepath.Join(home, store.StoreFileName)),
		store.WithLookupEnv(func(string) (string, bool) { return "", false }))
	c := &store.Connection{Name: "local", Type: "sqlite"}
	c.Set("path", filepath.Join(home, "data.db"), false)
	if err := st.Create(context.Background(), c); err != nil {
		panic(err)
	}
	cl := odbc.New(odbc.WithStore(st))
	db, err := cl.DB("local", nil)
	if err != nil {
		panic(err)
	}
	for _, q := range []string{
		"CREATE TABLE sales (id INTEGER, region TEXT, amount DECIMAL(10,2), paid BOOLEAN, day DATE)",
		"INSERT INTO sales VALUES (1, 'north', 12.5, TRUE, '2024-02-29'), (2, 'south', 7, FALSE, '2024-03-01'), (3, NULL, NULL, NULL, NULL)",
	} {
		if _, err := db.Exec(q); err != nil {
			panic(err)
		}
	}
	cl.Close()
	return st, func() { st.Close(); os.RemoveAll(home) }
}

func Example() {
	st, cleanup := exampleStore()
	defer cleanup()
	ctx := context.Background()

	client := odbc.New(odbc.WithStore(st)) // odbc.OdbcToRows uses the default store
	defer client.Close()
	rows, err := client.OdbcToRows(ctx, "SELECT id, region, amount, paid, day FROM sales ORDER BY id", "local")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range rows.Columns() {
		fmt.Printf("%s %s %s\n", c.Name, c.DatabaseType, c.Kind)
	}
	ids, _ := rows.Int64s("id")
	amounts, _ := rows.Decimals("amount")
	fmt.Println(rows.Len(), ids, amounts)
	_, err = rows.Int64s("region")
	fmt.Println(err)
	rows.WriteJSON(os.Stdout)
	// Output:
	// id INTEGER int64
	// region TEXT string
	// amount DECIMAL(10,2) decimal
	// paid BOOLEAN bool
	// day DATE time
	// 3 [1 2 3] [12.50 7.00 ]
	// odbc: column "region" is string, not int64
	// [{"id":1,"region":"north","amount":12.50,"paid":true,"day":"2024-02-29T00:00:00Z"},{"id":2,"region":"south","amount":7.00,"paid":false,"day":"2024-03-01T00:00:00Z"},{"id":3,"region":null,"amount":null,"paid":null,"day":null}]
}

func ExampleClient_Stream() {
	st, cleanup := exampleStore()
	defer cleanup()
	client := odbc.New(odbc.WithStore(st))
	defer client.Close()
	for row, err := range client.Stream(context.Background(), "SELECT id, region FROM sales WHERE id < ? ORDER BY id", "local", 3) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(row.Values()...)
	}
	// Output:
	// 1 north
	// 2 south
}

func ExampleRows_WriteCSV() {
	st, cleanup := exampleStore()
	defer cleanup()
	client := odbc.New(odbc.WithStore(st))
	defer client.Close()
	rows, err := client.OdbcToRows(context.Background(), "SELECT id, region, paid FROM sales ORDER BY id", "local", odbc.MaxRows(10))
	if err != nil {
		fmt.Println(err)
		return
	}
	rows.WriteCSV(os.Stdout)
	_, err = client.OdbcToRows(context.Background(), "SELECT id FROM sales", "local", odbc.MaxRows(2))
	fmt.Println(err)
	// Output:
	// id,region,paid
	// 1,north,true
	// 2,south,false
	// 3,,
	// odbc: row limit exceeded: the result has more than 2 rows (MaxRows)
}

func ExampleWithSummary() {
	st, cleanup := exampleStore()
	defer cleanup()
	client := odbc.New(odbc.WithStore(st))
	defer client.Close()
	var s odbc.Summary
	for _, err := range client.Stream(context.Background(), "SELECT id, region FROM sales WHERE id > 99", "local", odbc.WithSummary(&s)) {
		fmt.Println(err) // no row comes
	}
	fmt.Println(len(s.Columns), s.Columns[0].Name, s.Columns[1].Name)
	// Output:
	// 2 id region
}
