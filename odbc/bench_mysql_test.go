//go:build unix

package odbc

import (
	"context"
	"database/sql"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/vapsql/vap/internal/testenv"
)

// mysqlBenchSetup makes sure the MySQL/MariaDB benchTable exists with
// benchRows rows of (BIGINT, VARCHAR(40) md5, DOUBLE, DATETIME(6),
// DECIMAL(12,2), TINYINT(1)), under a named lock so parallel runs do not
// race.
func mysqlBenchSetup(b *testing.B, admin *sql.DB) {
	b.Helper()
	ctx := context.Background()
	conn, err := admin.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT GET_LOCK('vap_odbc_bench', 600)"); err != nil {
		b.Fatal(err)
	}
	defer conn.ExecContext(ctx, "SELECT RELEASE_LOCK('vap_odbc_bench')")
	var n int64
	err = conn.QueryRowContext(ctx, "SELECT count(*) FROM "+benchTable).Scan(&n)
	if err == nil && n == benchRows {
		return
	}
	b.Logf("creating %s (%d rows)", benchTable, benchRows)
	// Six digit tables cross-joined: works on MySQL and MariaDB alike.
	d := "(SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
	i := "(1 + a.n + 10*b.n + 100*c.n + 1000*d.n + 10000*e.n + 100000*f.n)"
	for _, q := range []string{
		"DROP TABLE IF EXISTS " + benchTable,
		"CREATE TABLE " + benchTable + ` (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(40), score DOUBLE,
			at DATETIME(6), amount DECIMAL(12,2), flag TINYINT(1)) ENGINE=InnoDB`,
		"INSERT INTO " + benchTable + " SELECT " + i + ", md5(" + i + "), " + i + " * 1.5e0 / 7, " +
			"TIMESTAMP '2024-01-01 00:00:00' + INTERVAL " + i + " SECOND, " +
			"((" + i + " * 7919) % 100000000) / 100, " + i + " % 3 = 0 " +
			"FROM " + d + " a, " + d + " b, " + d + " c, " + d + " d, " + d + " e, " + d + " f",
		"ANALYZE TABLE " + benchTable,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// mysqlClientArgs are the mariadb (or mysql) command-line client's
// arguments for the test server, without the password, which goes in
// MYSQL_PWD.
func mysqlClientArgs(b *testing.B) (args []string, pwd string) {
	cfg, err := gomysql.ParseDSN(testenv.MySQLDSN())
	if err != nil {
		b.Fatalf("%s is not a MySQL DSN", testenv.EnvMySQL)
	}
	host, port, _ := strings.Cut(cfg.Addr, ":")
	args = []string{"--protocol=tcp", "-h", host, "-u", cfg.User, "--skip-ssl"}
	if port != "" {
		args = append(args, "-P", port)
	}
	if cfg.DBName != "" {
		args = append(args, "-D", cfg.DBName)
	}
	return args, cfg.Passwd
}

// BenchmarkMySQL1M reads the 1M-row table of MySQL/MariaDB with the floor
// (the mariadb C client, --quick, into /dev/null), a hand-written
// database/sql loop on go-sql-driver/mysql, odbc's database/sql path and
// OdbcToRows, in one run. pandas.read_sql over mysqlclient is
// testdata/pandas_read_sql.py --db mysql.
func BenchmarkMySQL1M(b *testing.B) {
	admin := testenv.MySQL(b)
	mysqlBenchSetup(b, admin)
	st := testenv.Store(b)
	testenv.Put(b, st, "my", "mysql", mysqlFields(b))
	ctx := context.Background()

	b.Run("floor_client", func(b *testing.B) {
		client, err := exec.LookPath("mariadb")
		if err != nil {
			if client, err = exec.LookPath("mysql"); err != nil {
				b.Skip("no mariadb or mysql command-line client")
			}
		}
		args, pwd := mysqlClientArgs(b)
		args = append(args, "--quick", "--batch", "-e", benchQuery)
		var cpu time.Duration
		for b.Loop() {
			var stderr strings.Builder
			cmd := exec.Command(client, args...) // nil Stdout: /dev/null
			cmd.Env = append(cmd.Environ(), "MYSQL_PWD="+pwd)
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				b.Fatalf("%s: %v: %s", client, err, stderr.String())
			}
			cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		b.ReportMetric(cpu.Seconds()/float64(b.N), "client-cpu-s/op")
	})
	b.Run("sql_scan_loop", func(b *testing.B) {
		defer reportCPU(b)()
		sqlScanLoop(b, "mysql", testenv.MySQLDSN())
	})
	b.Run("odbc_generic", func(b *testing.B) {
		defer reportCPU(b)()
		c := New(WithStore(st), MaxBytes(0))
		c.cfg.generic = true
		defer c.Close()
		for b.Loop() {
			r, err := c.OdbcToRows(ctx, benchQuery, "my")
			if err != nil || r.Len() != benchRows {
				b.Fatal(err)
			}
		}
	})
	b.Run("odbc_raw_binary", func(b *testing.B) {
		defer reportCPU(b)()
		c := New(WithStore(st), MaxBytes(0))
		c.cfg.prepare = true
		defer c.Close()
		for b.Loop() {
			r, err := c.OdbcToRows(ctx, benchQuery, "my")
			if err != nil || r.Len() != benchRows {
				b.Fatal(err)
			}
		}
	})
	b.Run("OdbcToRows", func(b *testing.B) {
		defer reportCPU(b)()
		c := New(WithStore(st), MaxBytes(0))
		defer c.Close()
		for b.Loop() {
			r, err := c.OdbcToRows(ctx, benchQuery, "my")
			if err != nil || r.Len() != benchRows {
				b.Fatal(err)
			}
		}
	})
}

// reportCPU starts counting the process's CPU time (user and system, all
// threads: the reader, the driver, the garbage collector); the returned
// function reports it per op as client-cpu-s/op, the figure that the load
// of a shared machine disturbs least.
func reportCPU(b *testing.B) func() {
	start := processCPU()
	return func() { b.ReportMetric((processCPU()-start).Seconds()/float64(b.N), "client-cpu-s/op") }
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
