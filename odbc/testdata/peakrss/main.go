// Command peakrss runs one read of the benchmark table and prints the time
// and the process's peak RSS, the Go side of odbc/testdata/pandas_read_sql.py:
//
//	go run ./odbc/testdata/peakrss -mode odbc [-db mysql]
//
// Modes: odbc (OdbcToRows), sqlscan (a hand-written database/sql loop over
// the real driver, pgx or go-sql-driver/mysql, into typed slices). -db
// picks the server: postgresql (VAP_TEST_POSTGRES_DSN) or mysql
// (VAP_TEST_MYSQL_DSN). The table odbc_bench_1m is made by `go test -bench
// PG1M ./odbc` on PostgreSQL, `go test -bench MySQL1M ./odbc` on MySQL. It
// lives under testdata so that ./... (vet, CI) leaves it alone.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/vapsql/vap/driver"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/odbc"
	"github.com/vapsql/vap/store"
)

func main() {
	mode := flag.String("mode", "odbc", "odbc, sqlscan")
	db := flag.String("db", "postgresql", "postgresql, mysql")
	query := flag.String("query", "SELECT id, name, score, at, amount, flag FROM odbc_bench_1m", "query")
	flag.Parse()
	if err := run(*mode, *db, *query); err != nil {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		os.Exit(1)
	}
}

func run(mode, db, query string) error {
	ctx := context.Background()
	home, err := os.MkdirTemp("", "peakrss")
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)
	st := store.Open(store.WithHome(home), store.WithURL(filepath.Join(home, store.StoreFileName)),
		store.WithLookupEnv(func(string) (string, bool) { return "", false }))
	defer st.Close()
	var c *store.Connection
	switch db {
	case "postgresql":
		if c, err = pgConnection(); err != nil {
			return err
		}
	case "mysql":
		if c, err = mysqlConnection(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown server %q", db)
	}
	if err := st.Create(ctx, c); err != nil {
		return err
	}

	start := time.Now()
	var n int
	switch mode {
	case "odbc":
		cl := odbc.New(odbc.WithStore(st), odbc.MaxBytes(0))
		defer cl.Close()
		r, err := cl.OdbcToRows(ctx, query, "bench")
		if err != nil {
			return err
		}
		n = r.Len()
	case "sqlscan":
		conn, err := driver.NewConnector("bench", driver.WithStore(st))
		if err != nil {
			return err
		}
		db := sql.OpenDB(conn)
		defer db.Close()
		if n, err = scanLoop(ctx, db, query); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown mode %q", mode)
	}
	elapsed := time.Since(start)
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("db=%s mode=%s rows=%d seconds=%.3f peak_rss_mb=%.1f\n", db, mode, n, elapsed.Seconds(), float64(ru.Maxrss)/1024)
	return nil
}

// pgConnection is the vap connection to the PostgreSQL test server.
func pgConnection() (*store.Connection, error) {
	u, err := url.Parse(testenv.PostgresURL())
	if err != nil {
		return nil, err
	}
	c := &store.Connection{Name: "bench", Type: "postgresql"}
	c.Set("host", u.Hostname(), false)
	c.Set("user_name", u.User.Username(), false)
	c.Set("dbname", strings.TrimPrefix(u.Path, "/"), false)
	c.Set("options.sslmode", "disable", false)
	if p := u.Port(); p != "" {
		c.Set("port", p, false)
	}
	if pw, ok := u.User.Password(); ok {
		c.Set("password", pw, true)
	}
	return c, nil
}

// mysqlConnection is the vap connection to the MySQL/MariaDB test server.
func mysqlConnection() (*store.Connection, error) {
	cfg, err := gomysql.ParseDSN(testenv.MySQLDSN())
	if err != nil {
		return nil, fmt.Errorf("%s is not a MySQL DSN", testenv.EnvMySQL)
	}
	host, port, _ := strings.Cut(cfg.Addr, ":")
	c := &store.Connection{Name: "bench", Type: "mysql"}
	c.Set("host", host, false)
	c.Set("user_name", cfg.User, false)
	c.Set("dbname", cfg.DBName, false)
	c.Set("options.tls", "false", false)
	if port != "" {
		c.Set("port", port, false)
	}
	if cfg.Passwd != "" {
		c.Set("password", cfg.Passwd, true)
	}
	return c, nil
}

// scanLoop is the hand-written database/sql loop into typed slices.
func scanLoop(ctx context.Context, db *sql.DB, query string) (int, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var (
		ids     []int64
		names   []string
		scores  []float64
		ats     []time.Time
		amounts []string
		flags   []bool
	)
	for rows.Next() {
		var (
			id     int64
			nm     string
			score  float64
			at     time.Time
			amount string
			flag   bool
		)
		if err := rows.Scan(&id, &nm, &score, &at, &amount, &flag); err != nil {
			return 0, err
		}
		ids, names, scores = append(ids, id), append(names, nm), append(scores, score)
		ats, amounts, flags = append(ats, at), append(amounts, amount), append(flags, flag)
	}
	return len(ids), rows.Err()
}
