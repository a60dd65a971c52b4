package conformance_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// The Databricks peer runs in a child process: this test binary started
// again with envPeerChild set, serving a peer (dbsqlpeer.Serve, the body of
// cmd/dbsqlpeer) until its stdin closes. The suite's process then holds
// only the client, so the stream check's heap measures the driver alone.
const (
	envPeerChild = "VAP_CONFORMANCE_PEER_CHILD"
	envPeerToken = "VAP_CONFORMANCE_PEER_TOKEN"
	// peerMaxRows lets the peer hold the stream check's result.
	peerMaxRows = 1_000_000
)

// servePeerChild is the child process's main: it serves a peer until stdin
// closes and returns the exit code.
func servePeerChild() int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	cfg := dbsqlpeer.Config{Token: os.Getenv(envPeerToken), MaxResultRows: peerMaxRows}
	if err := dbsqlpeer.Serve(ctx, cfg, os.Stdout); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 1
	}
	return 0
}

// startPeerProcess starts the child and returns the peer's address; the
// child stops at the end of the test.
func startPeerProcess(t *testing.T, token string) dbsqlpeer.Address {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), envPeerChild+"=1", envPeerToken+"="+token)
	var stderr strings.Builder
	cmd.Stderr = &syncWriter{w: &stderr}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the peer process: %v", err)
	}
	exited := make(chan error, 1)
	t.Cleanup(func() {
		stdin.Close() // the child serves until its stdin closes
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("the peer process did not stop when its stdin closed")
		}
	})
	type announce struct {
		a   dbsqlpeer.Address
		err error
	}
	got := make(chan announce, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, err := r.ReadString('\n')
		var a dbsqlpeer.Address
		if err == nil {
			err = json.Unmarshal([]byte(line), &a)
		}
		got <- announce{a, err}
		_, _ = io.Copy(io.Discard, r)
		exited <- cmd.Wait()
	}()
	select {
	case an := <-got:
		if an.err != nil || an.a.Port == 0 {
			t.Fatalf("the peer process announced no address: %v (stderr %q)", an.err, stderr.String())
		}
		return an.a
	case <-time.After(time.Minute):
		t.Fatalf("the peer process announced no address within a minute (stderr %q)", stderr.String())
	}
	return dbsqlpeer.Address{}
}

// syncWriter serializes writes to w.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// TestDatabricksPeer runs the suite for the databricks type against the
// local Databricks SQL peer in a process of its own (the real
// databricks-sql-go driver over Thrift HTTP, statements run on SQLite), with
// a personal access token and pages of 10,000 rows. The peer's Query History and warehouse-stop REST
// calls (dbsqlpeer.Remote) are the target's Observer: they show the long
// statement running and stopped, and end the pool's sessions.
func TestDatabricksPeer(t *testing.T) {
	token := "dapi-" + randHex()
	a := startPeerProcess(t, token)
	st := testenv.Store(t)
	testenv.Put(t, st, "conformance-databricks", "databricks", map[string]string{
		"server_hostname": a.Host, "port": strconv.Itoa(a.Port), "http_path": a.HTTPPath, "access_token": token,
		// Pages of 10,000 rows. The driver's default page is 100,000 rows:
		// the stream check's whole result of 200-byte rows in one page
		// (about 22 MB live), more than the check allows.
		"options.max_rows": "10000",
	})
	runTarget(t, conformance.Target{Name: "conformance-databricks", Store: st,
		Observer: &dbsqlpeer.Remote{URL: a.URL, Token: token}}, "databricks (local peer)")
}
