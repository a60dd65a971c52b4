// Command peakrss runs one read of the benchmark table and prints the time
// and the process's peak RSS, the Go side of odbc/testdata/pandas_read_sql.py:
//
//	go run ./odbc/testdata/peakrss -mode odbc
//
// Modes: odbc (OdbcToRows), generic (odbc's database/sql path), sqlscan (a
// hand-written database/sql loop over pgx into typed slices). The table
// odbc_bench_1m is made by `go test -bench PG1M ./odbc`. It lives under
// testdata so that ./... (vet, CI) leaves it alone.
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

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/vapsql/vap/driver"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/odbc"
	"github.com/vapsql/vap/store"
)

func main() {
	mode := flag.String("mode", "odbc", "odbc, sqlscan")
	query := flag.String("query", "SELECT id, name, score, at, amount, flag FROM odbc_bench_1m", "query")
	flag.Parse()
	if err := run(*mode, *query); err != nil {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		os.Exit(1)
	}
}

func run(mode, query string) error {
	ctx := context.Background()
	home, err := os.MkdirTemp("", "peakrss")
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)
	st := store.Open(store.WithHome(home), store.WithURL(filepath.Join(home, store.StoreFileName)),
		store.WithLookupEnv(func(string) (string, bool) { return "", false }))
	defer st.Close()
	u, err := url.Parse(testenv.PostgresURL())
	if err != nil {
		return err
	}
	c := &store.Connection{Name: "bench", Type: "postgresql"}
	c.Set("host", u.Hostname(), false)
	c.Set("user_name", u.User.Username(), false)
	c.Set("dbname", strings.TrimPrefix(u.Path, "/"), false)
	c.Set("options.sslmode", "disable", false)
	if p := u.Port(); p != "" {
		c.Set("port", p, false)
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
	fmt.Printf("mode=%s rows=%d seconds=%.3f peak_rss_mb=%.1f\n", mode, n, elapsed.Seconds(), float64(ru.Maxrss)/1024)
	return nil
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
