package dbsqlpeer_test

import (
	"net/http/httptest"
	"testing"

	"github.com/vapsql/vap/peer/dbsqlpeer"
	"github.com/vapsql/vap/peer/observe"
)

// TestObserveHandler: the shared observe.Handler over a real peer ends the
// sessions a databricks-sql-go pool holds, and the pool recovers.
func TestObserveHandler(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	c1, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if err := c1.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c2.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(&observe.Handler{Peer: p, Authorized: observe.Token(testToken)})
	defer srv.Close()
	r := &observe.Remote{URL: srv.URL, Token: testToken}
	if got, err := r.Running(ctx); err != nil || len(got) != 0 {
		t.Fatalf("Running = %q, %v; want none", got, err)
	}
	n, err := r.DropSessions(ctx)
	if err != nil || n != 2 {
		t.Fatalf("DropSessions = %d, %v; want 2", n, err)
	}
	if s := p.Stats(); s.OpenSessions != 0 {
		t.Fatalf("sessions still open after the drop: %+v", s)
	}
	c1.Close()
	c2.Close()
	var one int
	if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("the pool did not recover: %d, %v", one, err)
	}
}
