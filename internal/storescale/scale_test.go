package storescale_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/vapsql/vap/internal/testenv"
	_ "github.com/vapsql/vap/registry/postgres"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/keyset"
	_ "github.com/vapsql/vap/store/postgres"
)

const envWorker = "VAP_SCALE_WORKER" // "short" or "long": this process is a Flow

func TestMain(m *testing.M) {
	if kind := os.Getenv(envWorker); kind != "" {
		os.Exit(worker(kind == "long"))
	}
	os.Exit(m.Run())
}

// report is what a worker prints as its last line.
type report struct {
	ResolveNS int64  `json:"resolve_ns"`
	Failures  int    `json:"failures"`
	SeenAt    int64  `json:"seen_at"` // unix ns when it saw the update (long-lived)
	Err       string `json:"err,omitempty"`
}

func envInt(k string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(k)); err == nil && n > 0 {
		return n
	}
	return def
}

func envDur(k string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(k)); err == nil && d > 0 {
		return d
	}
	return def
}

// worker is one Flow process: resolve "flowdb", run the queries spread over
// the span, and, long-lived, print "ready" and wait for the update (its
// version checks are what the driver does before each new connection).
func worker(long bool) int {
	queries := envInt("VAP_SCALE_QUERIES", 20)
	span := envDur("VAP_SCALE_SPAN", 3*time.Second)
	out := json.NewEncoder(os.Stdout)
	var r report
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st := store.Open()
	defer st.Close()
	start := time.Now()
	c, err := stdlib.NewConnectorContext(ctx, "flowdb", stdlib.WithStore(st))
	r.ResolveNS = int64(time.Since(start))
	if err != nil {
		r.Err = err.Error()
		out.Encode(r)
		return 1
	}
	db := sql.OpenDB(c)
	defer db.Close()
	// No idle database connection either: the machine's PostgreSQL is
	// shared, and every query's new physical connection is a version check
	// on the store, which is the load under test.
	db.SetMaxIdleConns(0)
	for i := range queries {
		qctx, qcancel := context.WithTimeout(context.Background(), 10*time.Second)
		var one int
		if err := db.QueryRowContext(qctx, "SELECT 1").Scan(&one); err != nil {
			r.Failures++
			r.Err = err.Error()
		}
		qcancel()
		if i < queries-1 {
			time.Sleep(span / time.Duration(queries))
		}
	}
	if !long {
		out.Encode(r)
		return 0
	}
	// The version the process runs with (the store may be refusing
	// connections for a moment: ask again, as the driver would).
	var v0 int64
	for deadline := time.Now().Add(30 * time.Second); ; {
		v0, err = st.Version(context.Background(), "flowdb")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			r.Err = err.Error()
			out.Encode(r)
			return 1
		}
		time.Sleep(100 * time.Millisecond)
	}
	fmt.Println("ready")
	for {
		vctx, vcancel := context.WithTimeout(context.Background(), 2*time.Second)
		v, err := st.Version(vctx, "flowdb")
		vcancel()
		if err == nil && v > v0 {
			r.SeenAt = time.Now().UnixNano()
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	out.Encode(r)
	return 0
}

// TestStoreScale runs the processes against the store directly, then behind
// PgBouncer (when installed), and logs the figures.
func TestStoreScale(t *testing.T) {
	pg := testenv.StartPrivatePostgres(t)
	flow, err := url.Parse(testenv.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	testenv.Postgres(t)
	dir := t.TempDir()
	ksPath := filepath.Join(dir, "keyset.json")
	h, err := keyset.LoadOrCreate(ksPath)
	if err != nil {
		t.Fatal(err)
	}
	direct := pg.AdminURL() + "&schema=vap"
	admin := store.Open(store.WithURL(direct), store.WithKeyset(h), store.WithoutEnvOverrides())
	defer admin.Close()
	port := flow.Port()
	if port == "" {
		port = "5432"
	}
	c := &store.Connection{Name: "flowdb", Type: "postgresql"}
	c.Set("host", flow.Hostname(), false)
	c.Set("port", port, false)
	c.Set("user_name", flow.User.Username(), false)
	c.Set("dbname", strings.TrimPrefix(flow.Path, "/"), false)
	c.Set("options.sslmode", "disable", false)
	if err := admin.Create(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	t.Run("direct", func(t *testing.T) { run(t, pg, admin, direct, ksPath) })
	t.Run("pgbouncer", func(t *testing.T) {
		bport := startPgBouncer(t, pg, dir)
		u := fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable&schema=vap&watch=poll&default_query_exec_mode=simple_protocol", pg.AdminUser, bport)
		run(t, pg, admin, u, ksPath)
	})
}

func run(t *testing.T, pg *testenv.PrivatePostgres, admin *store.Store, storeURL, ksPath string) {
	procs := envInt("VAP_SCALE_PROCS", 10)
	db := pg.Admin(t)
	db.SetMaxOpenConns(1)
	var stop atomic.Bool
	var peak atomic.Int64
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for !stop.Load() {
			var n int64
			// Client sessions other than this sampler's own.
			if err := db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`).Scan(&n); err == nil && n > peak.Load() {
				peak.Store(n)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()

	var mu sync.Mutex
	var reports []report
	var failed []string
	var wg sync.WaitGroup
	ready := make(chan struct{}, procs)
	longs := 0
	start := time.Now()
	for i := range procs {
		long := i%2 == 1
		if long {
			longs++
		}
		kind := "short"
		if long {
			kind = "long"
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envWorker+"="+kind, "VAP_STORE="+storeURL, "VAP_KEYSET_FILE="+ksPath, "VAP_HOME="+t.TempDir())
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := bufio.NewScanner(stdout)
			var last string
			wasReady := false
			for sc.Scan() {
				if sc.Text() == "ready" {
					wasReady = true
					ready <- struct{}{}
					continue
				}
				last = sc.Text()
			}
			err := cmd.Wait()
			if long && !wasReady {
				ready <- struct{}{} // it failed before getting ready: do not wait for it
			}
			var r report
			jerr := json.Unmarshal([]byte(last), &r)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil || jerr != nil:
				failed = append(failed, fmt.Sprintf("worker %d: %v %q %s", i, err, last, stderr.String()))
			case r.Err != "" || r.Failures > 0:
				failed = append(failed, fmt.Sprintf("worker %d: %d failed queries: %s", i, r.Failures, r.Err))
			}
			reports = append(reports, r)
		}()
	}
	for range longs {
		select {
		case <-ready:
		case <-time.After(5 * time.Minute):
			t.Fatal("long-lived workers did not get ready in 5 min")
		}
	}
	// Every live process is up and watching: change the connection.
	cur, err := admin.Get(context.Background(), "flowdb")
	if err != nil {
		t.Fatal(err)
	}
	cur.Set("options.application_name", "flow-v"+strconv.FormatInt(cur.Version+1, 10), false)
	if err := admin.Update(context.Background(), cur); err != nil {
		t.Fatal(err)
	}
	updated := time.Now()
	wg.Wait()
	elapsed := time.Since(start)
	stop.Store(true)
	<-sampled

	var res []time.Duration
	var lateMax time.Duration
	for _, r := range reports {
		res = append(res, time.Duration(r.ResolveNS))
		if r.SeenAt != 0 {
			if d := time.Unix(0, r.SeenAt).Sub(updated); d > lateMax {
				lateMax = d
			}
		}
	}
	slices.Sort(res)
	p := func(q float64) time.Duration {
		if len(res) == 0 {
			return 0
		}
		return res[min(len(res)-1, int(q*float64(len(res))))]
	}
	t.Logf("%d processes (%d long-lived) in %s: %d failed; peak store client sessions %d (pg_stat_activity, sampler excluded); resolve p50 %s p99 %s max %s; update seen by every live process within %s",
		procs, longs, elapsed.Round(time.Millisecond), len(failed), peak.Load(), p(0.5).Round(time.Millisecond), p(0.99).Round(time.Millisecond), p(1).Round(time.Millisecond), lateMax.Round(time.Millisecond))
	for _, f := range failed {
		t.Error(f)
	}
}

// startPgBouncer runs PgBouncer in transaction pooling mode in front of pg,
// with 5 server connections, and returns its port.
func startPgBouncer(t *testing.T, pg *testenv.PrivatePostgres, dir string) int {
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/pgbouncer"); serr == nil {
			bin = "/usr/sbin/pgbouncer"
		} else {
			testenv.Unavailable(t, "PgBouncer", "PATH to pgbouncer (apt-get install pgbouncer)", err)
			return 0
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	bdir, err := os.MkdirTemp("", "vap-pgbouncer-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(bdir) })
	ini := fmt.Sprintf(`[databases]
* = host=127.0.0.1 port=%d user=%s password=%s
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s/userlist.txt
pool_mode = transaction
default_pool_size = 5
max_client_conn = 5000
ignore_startup_parameters = extra_float_digits
logfile = %s/pgbouncer.log
`, pg.Port, pg.AdminUser, pg.AdminPassword, port, bdir, bdir)
	os.WriteFile(filepath.Join(bdir, "userlist.txt"), []byte(fmt.Sprintf("%q %q\n", pg.AdminUser, "")), 0o600)
	cfg := filepath.Join(bdir, "pgbouncer.ini")
	if err := os.WriteFile(cfg, []byte(ini), 0o600); err != nil {
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		// PgBouncer refuses to run as root.
		exec.Command("chown", "-R", "postgres", bdir).Run()
		cmd = exec.Command("runuser", "-u", "postgres", "--", bin, cfg)
	} else {
		cmd = exec.Command(bin, cfg)
	}
	// Its own process group, killed as a whole: runuser's child would
	// outlive runuser. Output goes to a file, so Wait waits for no pipe.
	outf, err := os.Create(filepath.Join(bdir, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer outf.Close()
	cmd.Stdout, cmd.Stderr = outf, outf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	})
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return port
		}
		if i > 100 {
			log, _ := os.ReadFile(filepath.Join(bdir, "pgbouncer.log"))
			out, _ := os.ReadFile(filepath.Join(bdir, "stdout"))
			t.Fatalf("pgbouncer did not listen: %s %s", out, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
