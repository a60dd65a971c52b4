package hub_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/server/hubserver"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/postgres"
)

// The test binary runs as a hub child process when these are set.
const (
	envChildStore = "VAP_HUB_TEST_CHILD_STORE"
	envChildAddr  = "VAP_HUB_TEST_CHILD_ADDR"
)

func TestMain(m *testing.M) {
	if u := os.Getenv(envChildStore); u != "" {
		os.Exit(childHub(u, os.Getenv(envChildAddr)))
	}
	os.Exit(m.Run())
}

// childHub serves the store at storeURL on addr until killed.
func childHub(storeURL, addr string) int {
	b, err := postgres.Open(context.Background(), storeURL)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	h, err := hubserver.New(hubserver.Config{Backend: b, Token: hubToken, Heartbeat: 200 * time.Millisecond})
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
	return map[bool]int{true: 1}[http.Serve(ln, h) != nil]
}

// startChild runs a hub child process on addr and waits until it listens.
func startChild(t *testing.T, storeURL, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChildStore+"="+storeURL, envChildAddr+"="+addr)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("the hub child did not start: %q", line)
	}
	return cmd
}

// healthy stores name as an SQLite database: a database that stays up
// while the hub fails, whose connections cost no server process.
func healthy(t *testing.T, admin *store.Store, name string) {
	t.Helper()
	testenv.Put(t, admin, name, "sqlite", map[string]string{"path": filepath.Join(t.TempDir(), "healthy.db")})
}

// openFlow opens name through the hub at addr as a Flow does, every query
// on a new physical connection (a version check each).
func openFlow(t *testing.T, st *store.Store, name string) *sql.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := stdlib.NewConnectorContext(ctx, name, stdlib.WithStore(st))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	db.SetMaxIdleConns(0)
	t.Cleanup(func() { db.Close() })
	var one int
	if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		t.Fatal(err)
	}
	return db
}

// queries runs 20 queries at once, each with a 3 s deadline, and fails
// the test for each that does not succeed.
func queries(t *testing.T, db *sql.DB, what string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			var one int
			errs <- db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("%s: a query with a 3 s deadline on the healthy database: %v", what, err)
		}
	}
}

// startingFlowFails: a Flow that starts while the hub is unreachable
// retries within its deadline and then fails with a clear error that
// holds no token.
func startingFlowFails(t *testing.T, addr, name string, f *fixture, what string) {
	t.Helper()
	st := client(t, addr, f.keyset, hubToken)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := stdlib.NewConnectorContext(ctx, name, stdlib.WithStore(st))
	if err == nil {
		t.Fatalf("%s: a Flow resolved %q through a hub that cannot answer", what, name)
	}
	if strings.Contains(err.Error(), hubToken) || !strings.Contains(err.Error(), name) {
		t.Fatalf("%s: starting Flow: %v; want an error naming the connection, without the token", what, err)
	}
	if !errors.Is(err, store.ErrUnavailable) && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%s: starting Flow: %v; want ErrUnavailable or the deadline", what, err)
	}
}

// A hub that goes silent (black-holed) or down (RST) never fails a Flow
// that resolved its names: its version checks are bounded, and it serves
// the version it has.
func TestSilentOrDownHubDoesNotFailResolvedFlow(t *testing.T) {
	for _, mode := range []testenv.ProxyMode{testenv.BlackHole, testenv.Reset} {
		t.Run(map[testenv.ProxyMode]string{testenv.BlackHole: "silent", testenv.Reset: "down"}[mode], func(t *testing.T) {
			f := newFixture(t)
			healthy(t, f.admin, "healthy")
			p := testenv.StartProxy(t, f.srv.Listener.Addr().String())
			st := client(t, p.Addr(), f.keyset, hubToken)
			db := openFlow(t, st, "healthy")
			p.SetMode(mode)
			queries(t, db, "hub "+map[testenv.ProxyMode]string{testenv.BlackHole: "silent", testenv.Reset: "down"}[mode])
			startingFlowFails(t, p.Addr(), "healthy", f, "proxied hub")
			p.Close()
		})
	}
}

// A hub child process killed with SIGKILL: the resolved Flow goes on; a
// starting Flow fails clearly within its deadline; a hub started again on
// the same address brings the watch back, and an update reaches the Flow.
func TestKilledHubChild(t *testing.T) {
	f := newFixture(t)
	healthy(t, f.admin, "healthy")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	child := startChild(t, f.storeURL, addr)
	st := client(t, addr, f.keyset, hubToken)
	db := openFlow(t, st, "healthy")
	v0, err := st.Version(context.Background(), "healthy")
	if err != nil {
		t.Fatal(err)
	}

	syscall.Kill(-child.Process.Pid, syscall.SIGKILL)
	child.Wait()
	queries(t, db, "hub killed")
	startingFlowFails(t, addr, "healthy", f, "hub killed")

	startChild(t, f.storeURL, addr)
	c, err := f.admin.Get(context.Background(), "healthy")
	if err != nil {
		t.Fatal(err)
	}
	c.Set("path", filepath.Join(t.TempDir(), "moved.db"), false)
	if err := f.admin.Update(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		v, err := st.Version(context.Background(), "healthy")
		if err == nil && v > v0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Flow's store did not see the update through the restarted hub in 60 s: %d %v", v, err)
		}
	}
	queries(t, db, "hub back")
}
