package main

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
)

// TestCopySQLite copies between two stored SQLite connections: a created
// table, an existing one, and the errors (exit 1, nothing written; exit 2
// for usage). Standard error is no terminal: no progress line.
func TestCopySQLite(t *testing.T) {
	t.Parallel()
	home := liteHome(t)
	if _, errs, code := cli(t, home, "", "conn", "create", "lite2", "--type", "sqlite", "--set", "path="+home+"/q2.db"); code != 0 {
		t.Fatal(errs)
	}
	for _, q := range []string{"CREATE TABLE src (id INTEGER, name TEXT, price TEXT)",
		"INSERT INTO src VALUES (1, 'a', '1.50'), (2, 'b\tc', NULL), (3, 'ü', '-2')"} {
		if _, errs, code := cli(t, home, "", "query", "lite", q); code != 0 {
			t.Fatal(errs)
		}
	}
	out, errs, code := cli(t, home, "", "copy", "lite", "lite2", "--query", "SELECT id, name, price FROM src", "--table", "dst", "--create")
	if code != 0 || out != "copied 3 rows into dst (created, INSERT)\n" || errs != "" {
		t.Fatalf("copy: %d %q %q", code, out, errs)
	}
	out, errs, code = cli(t, home, "SELECT id + 10 AS id, name FROM src WHERE id < 3", "copy", "lite", "lite2", "-f", "-", "--table", "dst", "--batch", "1")
	if code != 0 || out != "copied 2 rows into dst (INSERT)\n" {
		t.Fatalf("copy into an existing table: %d %q", code, errs)
	}
	out, _, _ = cli(t, home, "", "query", "lite2", "SELECT id, name, price FROM dst ORDER BY id", "--format", "csv")
	if want := "id,name,price\n1,a,1.50\n2,b\tc,\n3,ü,-2\n11,a,\n12,b\tc,\n"; out != want {
		t.Errorf("target holds %q, want %q", out, want)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"copy", "lite", "lite2", "--query", "SELECT 1 AS id"}, 2, "--table is required"},
		{[]string{"copy", "lite", "lite2", "--table", "dst"}, 2, "missing the statement"},
		{[]string{"copy", "lite", "--query", "SELECT 1", "--table", "dst"}, 2, "usage:"},
		{[]string{"copy", "lite", "nope", "--query", "SELECT 1 AS id", "--table", "dst"}, 1, "No connection found with name: nope"},
		{[]string{"copy", "lite", "lite2", "--query", "SELECT 1 AS id", "--table", "dst;x"}, 1, "table name"},
		{[]string{"copy", "lite", "lite2", "--query", "SELECT 'x' AS id", "--table", "dst"}, 1, `row 1: column id: "x" is not an integer; nothing was written to dst`},
		{[]string{"copy", "lite", "lite2", "--query", "SELECT 1 AS id", "--table", "dst", "--create"}, 1, "already exists"},
	} {
		_, errs, code := cli(t, home, "", tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("vap %s: exit %d %q, want %d and %q", strings.Join(tc.args, " "), code, errs, tc.code, tc.want)
		}
	}
	out, _, _ = cli(t, home, "", "query", "lite2", "SELECT count(*) AS n FROM dst", "--format", "csv")
	if out != "n\n5\n" {
		t.Errorf("after the failed copies the target holds %q", out)
	}
}

// TestCopyInterrupt sends SIGINT to vap copy PostgreSQL → MariaDB while
// rows stream: exit 130, the source statement stops on PostgreSQL, the
// load is rolled back on MariaDB (the table stays empty).
func TestCopyInterrupt(t *testing.T) {
	t.Parallel()
	home := serverHome(t)
	pg, my := testenv.Postgres(t), testenv.MySQL(t)
	table := "vap_copy_int_" + strconv.FormatInt(time.Now().UnixNano()%1e9, 10)
	if _, err := my.Exec("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { my.Exec("DROP TABLE IF EXISTS " + table) })
	marker := "vap-copy-int-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	q := "SELECT g AS id, '" + marker + "' AS v FROM (SELECT generate_series(1, 100000000) AS g) s"
	cmd := vapCommand(t, home, nil, "copy", "pg", "my", "--query", q, "--table", table)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		cmd.Process.Kill()
		<-done
	}()
	count := func(db *sql.DB, q string) int {
		var n int
		if err := db.QueryRowContext(context.Background(), q, "%"+marker+"%").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	pgRunning := "SELECT count(*) FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()"
	// Both sides run: the source statement on PostgreSQL, the load on MariaDB.
	for start := time.Now(); count(pg, pgRunning) == 0 || !loading(t, my, table); time.Sleep(20 * time.Millisecond) {
		if time.Since(start) > 60*time.Second {
			t.Fatalf("the copy did not start (stderr %q)", stderr.String())
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-done:
		done <- nil
	case <-time.After(60 * time.Second):
		t.Fatal("vap copy did not stop after SIGINT")
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %d, stderr %q; want 130 and interrupted", code, stderr.String())
	}
	for start := time.Now(); count(pg, pgRunning) > 0 || loading(t, my, table); time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 30*time.Second {
			t.Fatal("a side still runs after vap copy was interrupted")
		}
	}
	var n int
	if err := my.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil || n != 0 {
		t.Errorf("the target holds %d rows (%v) after the interrupted copy", n, err)
	}
}

// loading reports whether a LOAD DATA into table runs on MariaDB.
func loading(t *testing.T, my *sql.DB, table string) bool {
	var n int
	if err := my.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE CONCAT('LOAD DATA%', ?, '%') AND ID <> CONNECTION_ID()", table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// TestCopyProgress: the progress line is drawn when asked (or on a
// terminal), at most five times a second, and cleared at the end; never
// on a writer that is not a terminal in auto mode.
func TestCopyProgress(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b, "auto")
	p.last = time.Now().Add(-time.Second)
	p.update(10)
	p.end()
	if b.Len() != 0 {
		t.Errorf("auto on a buffer drew %q", b.String())
	}
	p = newProgress(&b, "always")
	p.start, p.last = time.Now().Add(-2*time.Second), time.Now().Add(-time.Second)
	p.update(1000)
	p.update(2000) // within 200 ms of the last: not drawn
	p.end()
	if got := b.String(); !strings.HasPrefix(got, "\r\x1b[K1000 rows, ") || !strings.Contains(got, " rows/s") || strings.Contains(got, "2000") || !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("progress drew %q", got)
	}
}
