package conformance_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/dbsqlpeer"
	"github.com/vapsql/vap/peer/peerproc"
)

// The Databricks peer runs in a child process (peerproc): this test binary
// started again with envPeerChild set, serving a peer (dbsqlpeer.Serve, the
// body of cmd/dbsqlpeer) until its stdin closes. The suite's process then
// holds only the client, so the stream check's heap measures the driver
// alone.
const (
	envPeerChild = "VAP_CONFORMANCE_PEER_CHILD"
	envPeerToken = "VAP_CONFORMANCE_PEER_TOKEN"
	// envPeerMode is "arrow" (inline Arrow batches only) or "cloudfetch"
	// (every result with rows by CloudFetch links).
	envPeerMode = "VAP_CONFORMANCE_PEER_MODE"
	// peerMaxRows lets the peer hold the stream check's result.
	peerMaxRows = 1_000_000
)

// servePeerChild is the child process's main: it serves a peer until stdin
// closes and returns the exit code.
func servePeerChild() int {
	return peerproc.Serve(func(ctx context.Context, announce io.Writer) error {
		cfg := dbsqlpeer.Config{Token: os.Getenv(envPeerToken), MaxResultRows: peerMaxRows}
		switch os.Getenv(envPeerMode) {
		case "arrow":
			cfg.CloudFetchThreshold = -1
		case "cloudfetch":
			cfg.CloudFetchThreshold = 1
		default:
			return fmt.Errorf("%s must be arrow or cloudfetch", envPeerMode)
		}
		return dbsqlpeer.Serve(ctx, cfg, announce)
	})
}

// startPeerProcess starts the child and returns the peer's address; the
// child stops at the end of the test.
func startPeerProcess(t *testing.T, token, mode string) dbsqlpeer.Address {
	t.Helper()
	a := peerproc.StartAs[dbsqlpeer.Address](t, envPeerChild, envPeerToken+"="+token, envPeerMode+"="+mode)
	if a.Port == 0 {
		t.Fatalf("the peer process announced no port: %+v", a)
	}
	return a
}

// TestDatabricksPeer runs the suite for the databricks type against the
// local Databricks SQL peer in a process of its own (the real
// databricks-sql-go driver over Thrift HTTP, statements run on SQLite), with
// a personal access token, once per way a warehouse sends results: inline
// Arrow batches ("arrow") and CloudFetch links to the peer's file server
// for every result ("cloudfetch"). The peer's Query History and
// warehouse-stop REST calls (dbsqlpeer.Remote) are the target's Observer:
// they show the long statement running and stopped, and end the pool's
// sessions.
func TestDatabricksPeer(t *testing.T) {
	for _, mode := range []string{"arrow", "cloudfetch"} {
		t.Run(mode, func(t *testing.T) {
			token := "dapi-" + randHex()
			a := startPeerProcess(t, token, mode)
			st := testenv.Store(t)
			name := "conformance-databricks-" + mode
			fields := map[string]string{
				"server_hostname": a.Host, "port": strconv.Itoa(a.Port), "http_path": a.HTTPPath, "access_token": token,
				// Inline pages of 10,000 rows. The driver's default page is
				// 100,000 rows: the stream check's whole result of 200-byte
				// rows in one page (about 22 MB live), more than the check
				// allows. CloudFetch pages are sized by the server in files;
				// there the connection's max_download_threads bounds what is
				// held: one thread, since with the default two the heap grows
				// 6.5 MiB, and 9.5 MiB under the race detector, over the
				// check's 8 MiB.
				"options.max_rows": "10000",
			}
			if mode == "cloudfetch" {
				fields["options.max_download_threads"] = "1"
			}
			testenv.Put(t, st, name, "databricks", fields)
			runTarget(t, conformance.Target{Name: name, Store: st,
				Observer: &dbsqlpeer.Remote{URL: a.URL, Token: token}}, "databricks (local peer, "+mode+")")
		})
	}
}
