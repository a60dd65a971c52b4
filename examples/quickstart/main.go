// Command quickstart runs vap's main job on the embedded default, with no
// server and no set-up: it stores a named SQLite connection in the
// connection store ($VAP_HOME, or a temporary directory), then opens it by
// name with sql.Open("vap", …), loads a few rows and prints a query result.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"text/tabwriter"

	vapdriver "github.com/vapsql/vap/driver"
	"github.com/vapsql/vap/store"
)

const connName = "quickstart"

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	home := os.Getenv(store.EnvHome)
	if home == "" {
		tmp, err := os.MkdirTemp("", "vap-quickstart-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		home = tmp
		os.Setenv(store.EnvHome, home)
	}
	fmt.Printf("connection store: %s\n", filepath.Join(home, store.StoreFileName))

	// An administrator stores the connection once.
	st := vapdriver.DefaultStore()
	c := &store.Connection{Name: connName, Type: "sqlite"}
	c.Set("path", filepath.Join(home, "quickstart-data.db"), false)
	if err := st.Create(ctx, c); errors.Is(err, store.ErrExists) {
		old, err := st.Get(ctx, connName)
		if err != nil {
			return err
		}
		c.Version = old.Version
		if err := st.Update(ctx, c); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	fmt.Printf("stored connection %q\n\n", connName)

	// A Flow opens it by name: no host, no password in code.
	db, err := sql.Open("vap", connName)
	if err != nil {
		return err
	}
	defer db.Close()

	if err := load(ctx, db); err != nil {
		return err
	}
	rows, err := db.QueryContext(ctx, `
		SELECT device, count(*) AS readings, round(avg(temperature), 2) AS avg_temp, max(temperature) AS max_temp
		FROM gearbox_readings GROUP BY device ORDER BY device`)
	if err != nil {
		return err
	}
	defer rows.Close()
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "device\treadings\tavg_temp\tmax_temp")
	for rows.Next() {
		var device string
		var n int64
		var avg, max float64
		if err := rows.Scan(&device, &n, &avg, &max); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\t%d\t%.2f\t%.1f\n", device, n, avg, max)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return w.Flush()
}

// load (re)creates a small table of gearbox sensor readings.
func load(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS gearbox_readings`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE gearbox_readings (device TEXT NOT NULL, taken_at TEXT NOT NULL, temperature REAL NOT NULL)`); err != nil {
		return err
	}
	readings := []struct {
		device string
		at     string
		temp   float64
	}{
		{"gearbox-a", "2026-11-01T08:00:00Z", 61.5},
		{"gearbox-a", "2026-11-01T09:00:00Z", 63.0},
		{"gearbox-a", "2026-11-01T10:00:00Z", 64.2},
		{"gearbox-b", "2026-11-01T08:00:00Z", 58.1},
		{"gearbox-b", "2026-11-01T09:00:00Z", 71.9},
		{"gearbox-c", "2026-11-01T08:00:00Z", 55.0},
	}
	for _, r := range readings {
		if _, err := tx.ExecContext(ctx, `INSERT INTO gearbox_readings VALUES (?, ?, ?)`, r.device, r.at, r.temp); err != nil {
			return err
		}
	}
	return tx.Commit()
}
