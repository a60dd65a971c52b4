package odbc

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sijms/go-ora/v2/network"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/orapeer"
	"github.com/vapsql/vap/registry"
)

// TestCanceledIsContextError: go-ora reports a statement it interrupted
// for its context as ORA-01013; OdbcToRows and Stream (raw driver rows and
// database/sql paths) return an error that matches the context's error and
// still carries the driver's (registry.Type.Canceled), on the local Oracle
// peer, which sees the statement stop.
func TestCanceledIsContextError(t *testing.T) {
	if testenv.Race {
		t.Skip(testenv.GoOraCancelRace)
	}
	p, fields := oraclePeer(t)
	st := testenv.Store(t)
	testenv.Put(t, st, "conn", "oracle", fields)
	for _, generic := range []bool{false, true} {
		c := New(WithStore(st))
		c.cfg.generic = generic
		t.Cleanup(func() { c.Close() })
		for _, tc := range []struct {
			name     string
			deadline bool
			read     func(ctx context.Context, q string) error
		}{
			{"OdbcToRows cancel", false, func(ctx context.Context, q string) error { _, err := c.OdbcToRows(ctx, q, "conn"); return err }},
			{"OdbcToRows deadline", true, func(ctx context.Context, q string) error { _, err := c.OdbcToRows(ctx, q, "conn"); return err }},
			{"Stream cancel", false, func(ctx context.Context, q string) error {
				for _, err := range c.Stream(ctx, q, "conn") {
					if err != nil {
						return err
					}
				}
				return nil
			}},
		} {
			name := tc.name
			if generic {
				name += " database-sql"
			}
			t.Run(name, func(t *testing.T) {
				tag := uniqueName("odbc_cancel")
				q := "BEGIN DBMS_SESSION.SLEEP(60); END; /* " + tag + " */"
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				want := context.Canceled
				if tc.deadline {
					ctx, cancel = context.WithTimeout(ctx, 2*time.Second)
					defer cancel()
					want = context.DeadlineExceeded
				}
				done := make(chan error, 1)
				go func() { done <- tc.read(ctx, q) }()
				waitPeer(t, p, tag, true)
				if !tc.deadline {
					cancel()
				}
				var err error
				select {
				case err = <-done:
				case <-time.After(60 * time.Second):
					t.Fatal("the call did not return 60 s after its context ended")
				}
				var oe *network.OracleError
				if !errors.Is(err, want) || !errors.As(err, &oe) || oe.ErrCode != 1013 {
					t.Fatalf("err = %v; want one matching %v and ORA-01013", err, want)
				}
				waitPeer(t, p, tag, false)
				if r, err := c.OdbcToRows(context.Background(), "SELECT 1 AS one FROM DUAL", "conn"); err != nil || r.Len() != 1 {
					t.Fatalf("after the cancel: %v", err)
				}
			})
		}
	}
}

// TestCanceledWraps: the driver's error is wrapped only when the context
// has ended and the type recognizes the error.
func TestCanceledWraps(t *testing.T) {
	drv := errors.New("ORA-01013: user requested cancel of current operation")
	typ := &registry.Type{Name: "t", Canceled: func(err error) bool { return err == drv }}
	live := context.Background()
	ended, cancel := context.WithCancel(live)
	cancel()
	if got := canceled(live, typ, drv); got != drv {
		t.Errorf("live context: %v", got)
	}
	if got := canceled(ended, &registry.Type{Name: "t"}, drv); got != drv {
		t.Errorf("a type without Canceled: %v", got)
	}
	other := errors.New("ORA-01476: divisor is equal to zero")
	if got := canceled(ended, typ, other); got != other {
		t.Errorf("another error: %v", got)
	}
	got := canceled(ended, typ, drv)
	if !errors.Is(got, context.Canceled) || !errors.Is(got, drv) || got.Error() != "context canceled: "+drv.Error() {
		t.Errorf("ended context: %v", got)
	}
	if got := canceled(ended, typ, context.Canceled); got != context.Canceled {
		t.Errorf("the context's own error: %v", got)
	}
}

// waitPeer waits until the peer runs a statement holding tag (running) or
// none (!running).
func waitPeer(t *testing.T, p *orapeer.Peer, tag string, running bool) {
	t.Helper()
	for range 1500 {
		if slices.ContainsFunc(p.RunningStatements(), func(s string) bool { return strings.Contains(s, tag) }) == running {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the peer's statements tagged %s: running is not %v after 30 s", tag, running)
}
