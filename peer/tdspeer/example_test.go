package tdspeer_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strconv"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/peer/tdspeer"
)

// A SQL Server for a test: go-mssqldb connects with full TLS, verifying
// the peer's certificate against the CA the peer made.
func Example() {
	p, err := tdspeer.Start(tdspeer.Config{User: "app", Password: "app-secret-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()

	q := url.Values{"database": {p.Database()}, "encrypt": {"true"}, "certificate": {p.CAFile()}}
	u := url.URL{Scheme: "sqlserver", User: url.UserPassword("app", "app-secret-1"),
		Host: p.Host() + ":" + strconv.Itoa(p.Port()), RawQuery: q.Encode()}
	c, err := mssql.NewConnector(u.String())
	if err != nil {
		fmt.Println(err)
		return
	}
	db := sql.OpenDB(c)
	defer db.Close()

	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE item (id INT PRIMARY KEY, price DECIMAL(10,2), name NVARCHAR(50))"); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO item VALUES (@p1, @p2, @p3)", 1, "9.5", "thé"); err != nil {
		fmt.Println(err)
		return
	}
	var price, name string
	if err := db.QueryRowContext(ctx, "SELECT price, name FROM item WHERE id = @p1", 1).Scan(&price, &name); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(price, name)
	_, err = db.ExecContext(ctx, "SELECT 1 / 0")
	fmt.Println(err)
	// Output:
	// 9.50 thé
	// mssql: Divide by zero error encountered. (8134)
}
