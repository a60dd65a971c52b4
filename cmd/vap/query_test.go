package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/vapsql/vap/internal/testenv"
)

// liteHome returns a home with a SQLite connection "lite".
func liteHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	if _, errs, code := cli(t, home, "", "conn", "create", "lite", "--type", "sqlite", "--set", "path="+home+"/q.db"); code != 0 {
		t.Fatal(errs)
	}
	return home
}

func TestQueryFormats(t *testing.T) {
	t.Parallel()
	home := liteHome(t)
	q := `SELECT 1 AS n, 'a,b' AS s, NULL AS z, 2.5 AS f UNION ALL SELECT 2, 'tab	x\', 'y', -1`
	tests := []struct {
		format string
		want   string
	}{
		{"table", "n  s         z     f\n1  a,b       NULL  2.5\n2  tab\\tx\\\\  y     -1\n(2 rows)\n"},
		{"csv", "n,s,z,f\n1,\"a,b\",,2.5\n2,tab\tx\\,y,-1\n"},
		{"tsv", "n\ts\tz\tf\n1\ta,b\t\\N\t2.5\n2\ttab\\tx\\\\\ty\t-1\n"},
		{"json", `[{"n":1,"s":"a,b","z":null,"f":2.5},{"n":2,"s":"tab\tx\\","z":"y","f":-1}]` + "\n"},
		{"ndjson", `{"n":1,"s":"a,b","z":null,"f":2.5}` + "\n" + `{"n":2,"s":"tab\tx\\","z":"y","f":-1}` + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			out, errs, code := cli(t, home, "", "query", "lite", q, "--format", tc.format)
			if code != 0 || out != tc.want {
				t.Fatalf("code %d, stderr %q\ngot  %q\nwant %q", code, errs, out, tc.want)
			}
		})
	}
	// An empty result still has its header.
	empty := map[string]string{"table": "n\n(0 rows)\n", "csv": "n\n", "tsv": "n\n", "json": "[]\n", "ndjson": ""}
	for format, want := range empty {
		out, errs, code := cli(t, home, "", "query", "lite", "SELECT 1 AS n WHERE 0", "--format", format)
		if code != 0 || out != want {
			t.Errorf("empty %s: %d %q %q, want %q", format, code, out, errs, want)
		}
	}
	// A table wider than its first window keeps going (the window sizes the columns).
	out, _, code := cli(t, home, "", "query", "lite", "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 1500) SELECT i, CASE WHEN i = 1400 THEN 'wide-value' ELSE 'x' END AS v, 0 AS z FROM c")
	if code != 0 || !strings.Contains(out, "\n1400  wide-value  0\n") || !strings.Contains(out, "\n1     x  0\n") || !strings.HasSuffix(out, "(1500 rows)\n") {
		t.Errorf("windowed table: %d %q", code, out[len(out)-200:])
	}
}

func TestQueryInputsAndLimits(t *testing.T) {
	t.Parallel()
	home := liteHome(t)
	// --max-rows stops with a note on stderr and succeeds.
	out, errs, code := cli(t, home, "", "query", "lite", "SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3", "--max-rows", "2", "--format", "csv")
	if code != 0 || out != "n\n1\n2\n" || errs != "vap: stopped after 2 rows (--max-rows); the statement had more\n" {
		t.Fatalf("--max-rows: %d %q %q", code, out, errs)
	}
	out, errs, code = cli(t, home, "", "query", "lite", "SELECT 1 AS n UNION ALL SELECT 2", "--max-rows", "2", "--format", "csv")
	if code != 0 || out != "n\n1\n2\n" || errs != "" {
		t.Fatalf("--max-rows not reached: %d %q %q", code, out, errs)
	}
	// -f FILE, -f -, --param in the connection's style, --output FILE.
	sqlFile := filepath.Join(home, "q.sql")
	os.WriteFile(sqlFile, []byte("-- a comment\nSELECT ? + 1 AS x, ? AS y\n"), 0o644)
	out, errs, code = cli(t, home, "", "query", "lite", "-f", sqlFile, "--param", "41", "--param", "it's", "--format", "csv")
	if code != 0 || out != "x,y\n42,it's\n" {
		t.Fatalf("-f FILE --param: %d %q %q", code, out, errs)
	}
	outFile := filepath.Join(home, "out.json")
	out, errs, code = cli(t, home, "SELECT 7 AS seven", "query", "lite", "-f", "-", "--format", "json", "--output", outFile)
	got, _ := os.ReadFile(outFile)
	if code != 0 || out != "" || string(got) != `[{"seven":7}]`+"\n" {
		t.Fatalf("-f - --output: %d %q %q file %q", code, out, errs, got)
	}
	// Statements without rows report how many rows they affected.
	for _, tc := range []struct{ sql, want string }{
		{"CREATE TABLE t (a INTEGER)", "0 rows affected\n"},
		{"INSERT INTO t VALUES (1), (2), (3)", "3 rows affected\n"},
		{"UPDATE t SET a = a + 1 WHERE a > 1", "2 rows affected\n"},
		{"/* c */ DELETE FROM t WHERE a = 1", "1 row affected\n"},
	} {
		out, errs, code := cli(t, home, "", "query", "lite", tc.sql)
		if code != 0 || out != tc.want {
			t.Errorf("%s: %d %q %q, want %q", tc.sql, code, out, errs, tc.want)
		}
	}
	// In a machine format the count goes to stderr and stdout stays empty.
	out, errs, _ = cli(t, home, "", "query", "lite", "INSERT INTO t VALUES (9)", "--format", "csv")
	if out != "" || errs != "1 row affected\n" {
		t.Errorf("csv insert: %q %q", out, errs)
	}
	// RETURNING streams the rows instead.
	out, errs, _ = cli(t, home, "", "query", "lite", "INSERT INTO t VALUES (5) RETURNING a", "--format", "csv")
	if out != "a\n5\n" {
		t.Errorf("RETURNING: %q %q", out, errs)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"query", "lite"}, "missing the statement"},
		{[]string{"query", "lite", "SELECT 1", "-f", sqlFile}, "not both"},
		{[]string{"query", "lite", "SELECT 1", "--max-bytes", "lots"}, "--max-bytes"},
		{[]string{"query", "lite", "SELECT 1", "--max-rows", "-1"}, "--max-rows"},
		{[]string{"query", "lite", "SELECT 1", "--format", "xml"}, "--format must be one of table, csv, tsv, json, ndjson"},
	} {
		_, errs, code := cli(t, home, "", tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: %d %q, want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	_, errs, code = cli(t, home, "", "query", "lite", "-f", filepath.Join(home, "nope.sql"))
	if code != 1 || !strings.Contains(errs, "no such file") {
		t.Errorf("missing -f file: %d %q", code, errs)
	}
}

// serverHome returns a home with connections "pg" and "my" to the test
// servers (testenv's VAP_TEST_POSTGRES_DSN and VAP_TEST_MYSQL_DSN).
func serverHome(t *testing.T) string {
	t.Helper()
	testenv.Postgres(t)
	testenv.MySQL(t)
	home := t.TempDir()
	u, err := url.Parse(testenv.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	pgArgs := []string{"conn", "create", "pg", "--type", "postgresql", "--set", "host=" + u.Hostname(), "--set", "user_name=" + u.User.Username(), "--set", "dbname=" + strings.TrimPrefix(u.Path, "/")}
	if p := u.Port(); p != "" {
		pgArgs = append(pgArgs, "--set", "port="+p)
	}
	if pw, ok := u.User.Password(); ok {
		pgArgs = append(pgArgs, "--secret", "password="+pw)
	}
	cfg, err := gomysql.ParseDSN(testenv.MySQLDSN())
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(cfg.Addr, ":")
	myArgs := []string{"conn", "create", "my", "--type", "mysql", "--set", "host=" + host, "--set", "user_name=" + cfg.User, "--set", "dbname=" + cfg.DBName}
	if port != "" {
		myArgs = append(myArgs, "--set", "port="+port)
	}
	if cfg.Passwd != "" {
		myArgs = append(myArgs, "--secret", "password="+cfg.Passwd)
	}
	for _, args := range [][]string{pgArgs, myArgs} {
		if _, errs, code := cli(t, home, "", args...); code != 0 {
			t.Fatal(errs)
		}
	}
	return home
}

func TestQueryPostgres(t *testing.T) {
	t.Parallel()
	home := serverHome(t)
	out, errs, code := cli(t, home, "", "query", "pg", "SELECT 1 AS n WHERE false", "--format", "csv")
	if code != 0 || out != "n\n" {
		t.Errorf("empty result: %d %q %q", code, out, errs)
	}
	table := fmt.Sprintf("vap_cli_%d", time.Now().UnixNano())
	defer testenv.Postgres(t).Exec("DROP TABLE IF EXISTS " + table)
	for _, tc := range []struct{ sql, want string }{
		{"CREATE TABLE " + table + " (a int)", "CREATE TABLE\n"},
		{"INSERT INTO " + table + " SELECT generate_series(1, 3)", "INSERT 0 3\n"},
		{"UPDATE " + table + " SET a = a WHERE a > $1", "UPDATE 2\n"},
	} {
		args := []string{"query", "pg", tc.sql}
		if strings.Contains(tc.sql, "$1") {
			args = append(args, "--param", "1")
		}
		out, errs, code := cli(t, home, "", args...)
		if code != 0 || out != tc.want {
			t.Errorf("%s: %d %q %q, want %q", tc.sql, code, out, errs, tc.want)
		}
	}
	// A server error keeps its position.
	_, errs, code = cli(t, home, "", "query", "pg", "SELECT 1,\n  2 frm x")
	want := "vap: ERROR: syntax error at or near \"x\" (SQLSTATE 42601)\nLINE 2:   2 frm x\n                ^\n"
	if code != 1 || errs != want {
		t.Errorf("position: %d\n%s\nwant\n%s", code, errs, want)
	}
	_, errs, code = cli(t, home, "", "query", "pg", "SELECT pg_sleep(30)", "--timeout", "200ms")
	if code != 1 || errs != "vap: statement cancelled: --timeout 200ms reached\n" {
		t.Errorf("--timeout: %d %q", code, errs)
	}
	out, errs, code = cli(t, home, "", "query", "pg", "SELECT repeat('x', 1000) AS x FROM generate_series(1, 100000)", "--max-bytes", "1MB", "--format", "csv")
	if code != 0 || !strings.Contains(errs, "holds more than --max-bytes 1MB") || strings.Count(out, "\n") > 1100 {
		t.Errorf("--max-bytes: %d %q, %d lines", code, errs, strings.Count(out, "\n"))
	}
}

func TestQueryMySQLAffected(t *testing.T) {
	t.Parallel()
	home := serverHome(t)
	table := fmt.Sprintf("vap_cli_%d", time.Now().UnixNano())
	defer testenv.MySQL(t).Exec("DROP TABLE IF EXISTS " + table)
	for _, tc := range []struct{ sql, want string }{
		{"CREATE TABLE " + table + " (a int)", "0 rows affected\n"},
		{"INSERT INTO " + table + " VALUES (1), (2), (3)", "3 rows affected\n"},
		{"SELECT COUNT(*) AS n FROM " + table, "n\n3\n(1 row)\n"},
	} {
		out, errs, code := cli(t, home, "", "query", "my", tc.sql)
		if code != 0 || out != tc.want {
			t.Errorf("%s: %d %q %q, want %q", tc.sql, code, out, errs, tc.want)
		}
	}
}

// running counts the statements holding marker on the server, other than
// the counting one.
func running(t *testing.T, db *sql.DB, q, marker string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, "%"+marker+"%").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestInterruptStopsServerStatement starts vap query on a long statement
// that streams rows first, reads the first row while the statement still
// runs, sends SIGINT (PostgreSQL) or SIGTERM (MariaDB), and polls the
// server until the statement is gone.
func TestInterruptStopsServerStatement(t *testing.T) {
	t.Parallel()
	home := serverHome(t)
	pg, my := testenv.Postgres(t), testenv.MySQL(t)
	for _, tc := range []struct {
		conn, sql, count string
		db               *sql.DB
		sig              syscall.Signal
	}{
		{"pg", "SELECT g::text AS g FROM generate_series(1, 5000) g UNION ALL SELECT pg_sleep(60)::text /* MARK */",
			"SELECT count(*) FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()", pg, syscall.SIGINT},
		{"my", "SELECT seq AS g FROM seq_1_to_5000 UNION ALL SELECT SLEEP(60) /* MARK */",
			"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND COMMAND = 'Query' AND ID <> CONNECTION_ID()", my, syscall.SIGTERM},
	} {
		t.Run(tc.conn, func(t *testing.T) {
			marker := "vap-interrupt-" + strconv.FormatInt(time.Now().UnixNano(), 36)
			q := strings.Replace(tc.sql, "MARK", marker, 1)
			cmd := vapCommand(t, home, nil, "query", tc.conn, q, "--format", "csv")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			defer func() {
				cmd.Process.Kill()
				<-done
			}()
			// The first rows arrive while the statement still runs.
			lines := make(chan string, 16)
			go func() {
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					select {
					case lines <- sc.Text():
					default:
					}
				}
				close(lines)
				done <- cmd.Wait()
			}()
			for _, want := range []string{"g", "1"} {
				select {
				case got, ok := <-lines:
					if !ok || got != want {
						t.Fatalf("line %q, want %q (stderr %q)", got, want, stderr.String())
					}
				case <-time.After(60 * time.Second):
					t.Fatal("no output while the statement runs")
				}
			}
			for start := time.Now(); running(t, tc.db, tc.count, marker) == 0; time.Sleep(20 * time.Millisecond) {
				if time.Since(start) > 30*time.Second {
					t.Fatal("the statement never showed on the server")
				}
			}
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for running(t, tc.db, tc.count, marker) != 0 {
				if time.Now().After(deadline) {
					t.Fatalf("the statement still runs on the server 5s after %v", tc.sig)
				}
				time.Sleep(20 * time.Millisecond)
			}
			for range lines {
			}
			select {
			case err := <-done:
				ee, ok := err.(interface{ ExitCode() int })
				if !ok || ee.ExitCode() != exitInterrupted {
					t.Fatalf("exit %v, want %d; stderr %q", err, exitInterrupted, stderr.String())
				}
				done <- err
			case <-time.After(30 * time.Second):
				t.Fatal("vap did not exit after SIGINT")
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("stderr %q", stderr.String())
			}
		})
	}
}
