package arrowrows_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	gomysql "github.com/go-sql-driver/mysql"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/odbc"
	_ "github.com/vapsql/vap/registry/mysql"
	_ "github.com/vapsql/vap/registry/postgres"
)

var seq atomic.Int64

// uniqueName returns a table name no other test (or process) uses.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s_%d_%d_%d", prefix, os.Getpid(), time.Now().UnixNano()%1e9, seq.Add(1))
}

// pgClient returns an odbc Client with the test PostgreSQL server stored
// as "pg" (skipping without the server), and its admin handle's Exec.
func pgClient(t testing.TB) (*odbc.Client, func(string)) {
	t.Helper()
	admin := testenv.Postgres(t)
	u, err := url.Parse(testenv.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	f := map[string]string{"host": u.Hostname(), "user_name": u.User.Username(), "dbname": strings.TrimPrefix(u.Path, "/"), "options.sslmode": "disable"}
	if p := u.Port(); p != "" {
		f["port"] = p
	}
	if pw, ok := u.User.Password(); ok {
		f["password"] = pw
	}
	st := testenv.Store(t)
	testenv.Put(t, st, "pg", "postgresql", f)
	c := odbc.New(odbc.WithStore(st))
	t.Cleanup(func() { c.Close() })
	return c, func(q string) {
		t.Helper()
		if _, err := admin.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// myClient is pgClient for the test MySQL/MariaDB server, stored as "my".
func myClient(t testing.TB) (*odbc.Client, func(string)) {
	t.Helper()
	admin := testenv.MySQL(t)
	cfg, err := gomysql.ParseDSN(testenv.MySQLDSN())
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(cfg.Addr, ":")
	f := map[string]string{"host": host, "user_name": cfg.User, "dbname": cfg.DBName, "options.tls": "false"}
	if port != "" {
		f["port"] = port
	}
	if cfg.Passwd != "" {
		f["password"] = cfg.Passwd
	}
	st := testenv.Store(t)
	testenv.Put(t, st, "my", "mysql", f)
	c := odbc.New(odbc.WithStore(st))
	t.Cleanup(func() { c.Close() })
	return c, func(q string) {
		t.Helper()
		if _, err := admin.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// The readers no code here wrote: DuckDB (Parquet) and apache-arrow, the
// JavaScript implementation (Arrow IPC file and stream), from npm.
const (
	duckdbPackage = "@duckdb/node-api@1.5.6-r.1"
	arrowPackage  = "apache-arrow@21.2.0"
)

// nodeReaders installs the npm readers into the user's cache directory
// (once: a later run reuses them) and returns a function running
// testdata/read.mjs on a file. Without node and npm the test skips, or
// fails when VAP_TEST_REQUIRE_SERVERS=1.
func nodeReaders(t *testing.T) func(format, path string) readResult {
	t.Helper()
	node, err1 := exec.LookPath("node")
	npm, err2 := exec.LookPath("npm")
	if err1 != nil || err2 != nil {
		msg := "node and npm are needed to read the files with DuckDB and apache-arrow (apt-get install nodejs npm)"
		if testenv.Required() {
			t.Fatalf("%s and %s=1", msg, testenv.EnvRequire)
		}
		t.Skip(msg)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	sum := sha256.Sum256([]byte(duckdbPackage + " " + arrowPackage))
	dir := filepath.Join(cache, "vap-test", "node-readers-"+hex.EncodeToString(sum[:6]))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "apache-arrow", "package.json")); err != nil {
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			t.Fatal(err)
		}
		tmp, err := os.MkdirTemp(filepath.Dir(dir), "install-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", duckdbPackage, arrowPackage)
		cmd.Dir = tmp
		if out, err := cmd.CombinedOutput(); err != nil {
			if testenv.Required() {
				t.Fatalf("npm install %s %s: %v\n%s", duckdbPackage, arrowPackage, err, out)
			}
			t.Skipf("npm install %s %s: %v\n%s", duckdbPackage, arrowPackage, err, out)
		}
		if err := os.Rename(tmp, dir); err != nil && !os.IsExist(err) {
			if _, serr := os.Stat(filepath.Join(dir, "node_modules")); serr != nil { // not a concurrent install
				t.Fatal(err)
			}
		}
	}
	script, err := os.ReadFile(filepath.Join("testdata", "read.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	// The script runs from the install directory, where its imports resolve.
	f, err := os.CreateTemp(dir, "read-*.mjs")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(script); err != nil {
		t.Fatal(err)
	}
	f.Close()
	t.Cleanup(func() { os.Remove(f.Name()) })
	return func(format, path string) readResult {
		t.Helper()
		out, err := exec.Command(node, f.Name(), format, path).Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("node read.mjs %s: %v\n%s", format, err, stderr)
		}
		var r readResult
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("read.mjs output: %v\n%s", err, out)
		}
		return r
	}
}

// readResult is what read.mjs prints.
type readResult struct {
	Columns []struct {
		Name     string            `json:"name"`
		Type     string            `json:"type"`
		Metadata map[string]string `json:"metadata"`
	} `json:"columns"`
	Rows [][]*string `json:"rows"`
}

type arrowRecord = arrow.RecordBatch
