package dbsqlpeer_test

import (
	"testing"

	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// TestCloseStopsStatements proves Close ends a running statement, waits for
// it, and leaves nothing running; a second Close is harmless.
func TestCloseStopsStatements(t *testing.T) {
	p, err := dbsqlpeer.Start(dbsqlpeer.Config{Token: testToken, DirectResultsWait: -1})
	if err != nil {
		t.Fatal(err)
	}
	db := openDB(t, p)
	errc := make(chan error, 1)
	go func() {
		var n int64
		errc <- db.QueryRowContext(testContext(t), infinite).Scan(&n)
	}()
	waitFor(t, "statement running", func() bool { return p.Stats().Running == 1 })
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if s := p.Stats(); s.Running != 0 || s.OpenSessions != 0 || s.OpenOperations != 0 {
		t.Errorf("after Close: %+v", s)
	}
	if err := <-errc; err == nil {
		t.Error("the statement succeeded although the peer closed")
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
