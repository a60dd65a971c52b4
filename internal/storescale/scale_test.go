package storescale_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
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
	"github.com/vapsql/vap/server/hubserver"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/hub"
	"github.com/vapsql/vap/store/keyset"
	"github.com/vapsql/vap/store/postgres"
)

const (
	envWorker   = "VAP_SCALE_WORKER"    // "short" or "long": this process is a Flow
	envHubStore = "VAP_SCALE_HUB_STORE" // this process is the store hub for that store URL
	envHubAddr  = "VAP_SCALE_HUB_ADDR"  // … listening there
	hubToken    = "scale-hub-token"
)

func TestMain(m *testing.M) {
	if kind := os.Getenv(envWorker); kind != "" {
		os.Exit(worker(kind == "long"))
	}
	if u := os.Getenv(envHubStore); u != "" {
		os.Exit(hubProcess(u, os.Getenv(envHubAddr)))
	}
	os.Exit(m.Run())
}

// hubProcess is the store hub as vap serve runs it with a hub token: the
// PostgreSQL backend (one LISTEN, a pool of at most 4) behind
// hubserver, on addr, until killed.
func hubProcess(storeURL, addr string) int {
	b, err := postgres.Open(context.Background(), storeURL)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	h, err := hubserver.New(hubserver.Config{Backend: b, Token: hubToken})
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("ready")
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	srv.Serve(ln)
	return 0
}

// report is what a worker prints as its last line.
type report struct {
	ResolveNS int64  `json:"resolve_ns"`
	Failures  int    `json:"failures"`
	SeenAt    int64  `json:"seen_at"` // unix ns when it saw the update (long-lived)
	Err       string `json:"err,omitempty"`
	// Version checks that failed while waiting for the update, and the
	// last of their errors: why an update came late.
	CheckFailures int    `json:"check_failures,omitempty"`
	CheckErr      string `json:"check_err,omitempty"`
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
		if err != nil {
			r.CheckFailures++
			r.CheckErr = err.Error()
		}
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
	t.Run("direct", func(t *testing.T) { run(t, pg, admin, direct, ksPath, nil, 0) })
	t.Run("pgbouncer", func(t *testing.T) {
		bport := startPgBouncer(t, pg, dir)
		u := fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable&schema=vap&watch=poll&default_query_exec_mode=simple_protocol", pg.AdminUser, bport)
		run(t, pg, admin, u, ksPath, nil, 0)
	})
	t.Run("hub", func(t *testing.T) {
		addr, pid := startHub(t, direct)
		run(t, pg, admin, "vap+http://"+addr, ksPath, []string{hub.EnvToken + "=" + hubToken}, pid)
	})
}

// startHub runs the hub in a child process on a free port and returns its
// address and pid.
func startHub(t *testing.T, storeURL string) (string, int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envHubStore+"="+storeURL, envHubAddr+"="+addr)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("the hub did not start: %q", line)
	}
	return addr, cmd.Process.Pid
}

// procStats returns a process's CPU time (user+system) and its resident
// and peak resident memory, from /proc.
func procStats(pid int) (cpu time.Duration, rss, hwm int64) {
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
		if len(f) > 12 {
			u, _ := strconv.ParseInt(f[11], 10, 64)
			s, _ := strconv.ParseInt(f[12], 10, 64)
			cpu = time.Duration(u+s) * 10 * time.Millisecond // USER_HZ = 100
		}
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			k, v, _ := strings.Cut(l, ":")
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			switch k {
			case "VmRSS":
				rss = n << 10
			case "VmHWM":
				hwm = n << 10
			}
		}
	}
	return
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// run starts the Flow processes on storeURL (with env added), changes the
// connection once every long-lived one is up, and logs the figures. hubPID,
// when not 0, is the hub's process, whose CPU and memory it reports.
func run(t *testing.T, pg *testenv.PrivatePostgres, admin *store.Store, storeURL, ksPath string, env []string, hubPID int) {
	procs := envInt("VAP_SCALE_PROCS", 10)
	load0 := loadavg()
	var hubCPU0 time.Duration
	var hubRSS0 int64
	if hubPID != 0 {
		hubCPU0, hubRSS0, _ = procStats(hubPID)
	}
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
		cmd.Env = append(cmd.Env, env...)
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
	var hubRSSReady int64
	if hubPID != 0 {
		_, hubRSSReady, _ = procStats(hubPID)
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
	checkFailures, lateOver1s := 0, 0
	var checkErr string
	for _, r := range reports {
		checkFailures += r.CheckFailures
		if r.CheckErr != "" {
			checkErr = r.CheckErr
		}
		if r.SeenAt != 0 && time.Unix(0, r.SeenAt).Sub(updated) > time.Second {
			lateOver1s++
		}
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
	t.Logf("%d processes (%d long-lived) in %s, load average %s → %s: %d failed; peak store client sessions %d (pg_stat_activity, sampler excluded); resolve p50 %s p99 %s max %s; update seen by every live process within %s (%d later than 1 s; %d failed version checks while waiting%s)",
		procs, longs, elapsed.Round(time.Millisecond), load0, loadavg(), len(failed), peak.Load(), p(0.5).Round(time.Millisecond), p(0.99).Round(time.Millisecond), p(1).Round(time.Millisecond), lateMax.Round(time.Millisecond),
		lateOver1s, checkFailures, map[bool]string{true: ", last: " + checkErr}[checkErr != ""])
	if hubPID != 0 {
		cpu, _, hwm := procStats(hubPID)
		t.Logf("hub: CPU %s over the run (%s per process), peak RSS %.1f MiB; RSS %.1f MiB before the processes, %.1f MiB with %d live processes watching (%.1f KiB per watcher)",
			(cpu - hubCPU0).Round(time.Millisecond), ((cpu - hubCPU0) / time.Duration(procs)).Round(time.Microsecond), float64(hwm)/(1<<20), float64(hubRSS0)/(1<<20), float64(hubRSSReady)/(1<<20), longs, float64(hubRSSReady-hubRSS0)/1024/float64(max(longs, 1)))
	}
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
