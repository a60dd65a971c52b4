package tdspeer_test

import (
	"strings"
	"testing"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/peer/observe"
	"github.com/vapsql/vap/peer/tdspeer"
)

// The peer is observable; an observe.Remote on its admin endpoints is the
// conformance suite's Observer.
var (
	_ observe.Observable   = (*tdspeer.Peer)(nil)
	_ conformance.Observer = (*observe.Remote)(nil)
)

// TestObserver proves Running sees a session's statement and
// DropSessions ends the session, whose client then gets an error, and
// that database/sql recovers on a new session.
func TestObserver(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	remote := &observe.Remote{URL: p.AdminURL(), Token: testPassword} // AdminToken defaults to the password
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
	if n := p.DropSessions(); n != 1 {
		t.Fatalf("DropSessions: %d", n)
	}
	if _, err := (&observe.Remote{URL: p.AdminURL(), Token: "wrong"}).Running(ctx); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("Remote with a wrong token: %v", err)
	}
	if err := <-errc; err == nil {
		t.Fatal("WAITFOR on a dropped session succeeded")
	}
	var v int
	if err := db.QueryRowContext(ctx, "SELECT 3").Scan(&v); err != nil || v != 3 {
		t.Fatalf("after DropSessions: %d, %v", v, err)
	}
}
