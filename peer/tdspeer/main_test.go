package tdspeer_test

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/vapsql/vap/peer/observe"
	"github.com/vapsql/vap/peer/peerproc"
	"github.com/vapsql/vap/peer/tdspeer"
)

// Environment of a peer child process (peerproc).
const (
	envChild         = "TDSPEER_TEST_CHILD"
	envChildPassword = "TDSPEER_TEST_PASSWORD"
)

func TestMain(m *testing.M) {
	if peerproc.Child(envChild) {
		os.Exit(peerproc.Serve(func(ctx context.Context, w io.Writer) error {
			return tdspeer.Serve(ctx, tdspeer.Config{User: testUser, Password: os.Getenv(envChildPassword)}, w)
		}))
	}
	os.Exit(m.Run())
}

// TestChildProcess runs the peer in a child process (peerproc, as a
// conformance target or a memory measurement does): the driver reaches it
// with TLS verified against the announced CA, and an observe.Remote sees
// and ends its sessions.
func TestChildProcess(t *testing.T) {
	l := peerproc.StartAs[tdspeer.Listening](t, envChild, envChildPassword+"="+testPassword)
	if l.Port == 0 || l.CAFile == "" || l.AdminURL == "" {
		t.Fatalf("announced %+v", l)
	}
	ctx := testContext(t)
	db := openWith(t, dsnFor(l.Host, l.Port, l.Database, l.CAFile, testUser, testPassword, "true"))
	var s string
	if err := db.QueryRowContext(ctx, "SELECT @p1", "from the child").Scan(&s); err != nil || s != "from the child" {
		t.Fatalf("query: %q, %v", s, err)
	}
	r := &observe.Remote{URL: l.AdminURL, Token: testPassword}
	if n, err := r.DropSessions(ctx); err != nil || n != 1 {
		t.Errorf("DropSessions: %d, %v", n, err)
	}
}
