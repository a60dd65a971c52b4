package dbsqlpeer_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	dbsql "github.com/databricks/databricks-sql-go"

	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// cancelAfterExecute is a driver transport that cancels the statement's
// context the moment the peer's ExecuteStatement answer arrives, before the
// driver reads it: databricks-sql-go v1.14.0's retry policy then rejects
// the answer (net/http logs "RoundTripper returned a response & error;
// ignoring response"), so the driver never learns the operation handle and
// cannot send CancelOperation.
type cancelAfterExecute struct {
	base   http.RoundTripper
	mu     sync.Mutex
	cancel context.CancelFunc
}

func (t *cancelAfterExecute) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		_ = r.Body.Close()
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := t.base.RoundTrip(r)
	if err == nil && bytes.Contains(body, []byte("ExecuteStatement")) {
		t.mu.Lock()
		if t.cancel != nil {
			t.cancel()
		}
		t.mu.Unlock()
	}
	return resp, err
}

// TestAbandonedStatementStops: a statement whose ExecuteStatement answer
// the client dropped (so nobody holds its handle, and nobody polls it) is
// canceled and closed once AbandonedStatementTimeout passes without a call
// naming it, as a warehouse ends a statement whose client went away. Before
// the peer did this it ran until the session closed.
func TestAbandonedStatementStops(t *testing.T) {
	// The timeout is above the driver's one-second poll interval, so the
	// statement of the next query, which the driver polls, is kept.
	p := startPeer(t, dbsqlpeer.Config{DirectResultsWait: -1, AbandonedStatementTimeout: 2500 * time.Millisecond})
	tr := &cancelAfterExecute{base: p.Transport()}
	db := openDB(t, p, dbsql.WithTransport(tr))
	db.SetMaxOpenConns(1)
	ctx := testContext(t)
	if err := db.PingContext(ctx); err != nil { // the session exists before the statement
		t.Fatal(err)
	}
	qctx, cancel := context.WithCancel(ctx)
	tr.mu.Lock()
	tr.cancel = cancel
	tr.mu.Unlock()
	var n int64
	err := db.QueryRowContext(qctx, infinite).Scan(&n)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("query: %v; want context.Canceled", err)
	}
	if s := p.Stats(); s.Calls["CancelOperation"] != 0 {
		t.Fatalf("the driver sent CancelOperation, so this test does not reach an abandoned statement: %+v", s)
	}
	waitFor(t, "the abandoned statement to stop", func() bool {
		s := p.Stats()
		return s.Running == 0 && s.OpenOperations == 0 && s.Abandoned == 1 && len(p.RunningStatements()) == 0
	})
	// The session is still usable: the next statement runs.
	tr.mu.Lock()
	tr.cancel = nil
	tr.mu.Unlock()
	if err := db.QueryRowContext(ctx, "SELECT 7").Scan(&n); err != nil || n != 7 {
		t.Fatalf("next query: %d, %v", n, err)
	}
}

// TestPolledStatementNotAbandoned: a statement the driver keeps polling
// (databricks-sql-go polls every second) is not abandoned however long it
// runs past AbandonedStatementTimeout.
func TestPolledStatementNotAbandoned(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{DirectResultsWait: -1, AbandonedStatementTimeout: 2500 * time.Millisecond})
	db := openDB(t, p)
	ctx := testContext(t)
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		var n int64
		errc <- db.QueryRowContext(qctx, infinite).Scan(&n)
	}()
	// Two timeouts' worth of polls.
	waitFor(t, "five status polls", func() bool { return p.Stats().Calls["GetOperationStatus"] >= 5 })
	if s := p.Stats(); s.Abandoned != 0 || s.Running != 1 {
		t.Fatalf("a polled statement was abandoned: %+v", s)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("query: %v; want context.Canceled", err)
	}
	if s := p.Stats(); s.Abandoned != 0 || s.Calls["CancelOperation"] != 1 {
		t.Fatalf("want the driver's own cancel, no abandonment: %+v", s)
	}
}
