package tdspeer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/peer/tdspeer"
)

// Both the peer and a Remote on it watch and end sessions for the
// conformance suite.
var (
	_ conformance.Observer = (*tdspeer.Peer)(nil)
	_ conformance.Observer = (*tdspeer.Remote)(nil)
)

// TestObserver proves Running sees a session's statement and
// DropSessions ends the session, whose client then gets an error, and
// that database/sql recovers on a new session.
func TestObserver(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	remote := &tdspeer.Remote{URL: p.AdminURL(), User: testUser, Password: testPassword}
	errc := make(chan error, 1)
	go func() {
		_, err := db.ExecContext(ctx, "WAITFOR DELAY '00:00:30' /* observe-me */")
		errc <- err
	}()
	waitRunning(t, p, "observe-me")
	stmts, err := remote.Running(ctx)
	if err != nil || len(stmts) != 1 || !strings.Contains(stmts[0], "observe-me") {
		t.Fatalf("Remote.Running: %q, %v", stmts, err)
	}
	n, err := p.DropSessions(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("DropSessions: %d, %v", n, err)
	}
	if err := <-errc; err == nil {
		t.Fatal("WAITFOR on a dropped session succeeded")
	}
	var v int
	if err := db.QueryRowContext(ctx, "SELECT 3").Scan(&v); err != nil || v != 3 {
		t.Fatalf("after DropSessions: %d, %v", v, err)
	}
}
