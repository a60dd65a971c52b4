package orapeer_test

import (
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	goora "github.com/sijms/go-ora/v2"

	"github.com/vapsql/vap/peer/orapeer"
)

// A Flow's Oracle SQL runs against the peer through the real go-ora driver.
func Example() {
	p, err := orapeer.Start(orapeer.Config{User: "app", Password: "app-Secret1", Service: "FREEPDB1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()

	u := url.URL{Scheme: "oracle", User: url.UserPassword("app", "app-Secret1"), Host: p.Address(), Path: "/" + p.Service()}
	db := sql.OpenDB(goora.NewConnector(u.String()))
	defer db.Close()

	if _, err := db.Exec(`CREATE TABLE orders (id NUMBER(10) PRIMARY KEY, total NUMBER(12,2), placed DATE)`); err != nil {
		fmt.Println(err)
		return
	}
	_, err = db.Exec(`INSERT INTO orders (id, total, placed) VALUES (:1, :2, TO_DATE(:3, 'YYYY-MM-DD'))`, 1, 99.5, "2024-03-01")
	if err != nil {
		fmt.Println(err)
		return
	}
	var total float64
	var placed string
	err = db.QueryRow(`SELECT total, TO_CHAR(placed, 'DD-MON-YYYY') FROM orders WHERE id = :id`, sql.Named("id", 1)).Scan(&total, &placed)
	fmt.Println(total, placed, err)

	_, err = db.Exec(`SELECT 1 FROM no_such_table`)
	fmt.Println(strings.SplitN(err.Error(), "\n", 2)[0]) // Oracle ends messages with a newline
	// Output:
	// 99.5 01-MAR-2024 <nil>
	// ORA-00942: table or view does not exist
}
