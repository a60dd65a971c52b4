package dbsqlpeer_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"

	dbsql "github.com/databricks/databricks-sql-go"

	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// revenueByRegion is the Flow step under test: plain database/sql code
// written for a Databricks warehouse (Spark SQL, named parameters).
func revenueByRegion(ctx context.Context, db *sql.DB, minAmount float64) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT region, CAST(sum(amount) AS DECIMAL(12,2)) AS revenue
		FROM sales WHERE amount >= :min GROUP BY region ORDER BY region`,
		sql.Named("min", minAmount))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]string)
	for rows.Next() {
		var region, revenue string
		if err := rows.Scan(&region, &revenue); err != nil {
			return nil, err
		}
		out[region] = revenue
	}
	return out, rows.Err()
}

// Example tests a Flow step against a local warehouse: the real
// databricks-sql-go driver, no workspace.
func Example() {
	peer, err := dbsqlpeer.Start(dbsqlpeer.Config{Token: "dapi-example"})
	if err != nil {
		log.Fatal(err)
	}
	defer peer.Close()

	connector, err := dbsql.NewConnector(
		dbsql.WithServerHostname(peer.Host()),
		dbsql.WithPort(peer.Port()),
		dbsql.WithHTTPPath(peer.HTTPPath()),
		dbsql.WithAccessToken("dapi-example"),
		dbsql.WithTransport(peer.Transport()),
	)
	if err != nil {
		log.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()

	ctx := context.Background()
	for _, stmt := range []string{
		`CREATE TABLE sales (region STRING, amount DECIMAL(10,2), sold_on DATE)`,
		`INSERT INTO sales VALUES ('east', 10.50, DATE '2024-01-02'), ('east', 4.25, DATE '2024-01-03'),
			('west', 99.99, DATE '2024-01-02'), ('west', 0.99, DATE '2024-01-04')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			log.Fatal(err)
		}
	}

	got, err := revenueByRegion(ctx, db, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("east:", got["east"])
	fmt.Println("west:", got["west"])
	fmt.Println("round trips for the query:", peer.Stats().Calls["ExecuteStatement"]-2)
	// Output:
	// east: 14.75
	// west: 99.99
	// round trips for the query: 1
}
