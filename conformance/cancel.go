package conformance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vapsql/vap/odbc"
)

// stopWait bounds how long the suite waits for a server to show, then drop,
// the long query, and for a call to return. Generous: CI machines are slow,
// and MySQL notices a vanished client only every few seconds.
const stopWait = 30 * time.Second

// checkCancel cancels the long query once the server shows it running.
func checkCancel(e *env) outcome {
	return longQuery(e, "cancel", 0)
}

// checkDeadline gives the long query a deadline that expires while the server
// runs it. When the deadline beats the query to the server, it tries again
// with a longer one.
func checkDeadline(e *env) outcome {
	var o outcome
	for _, d := range []time.Duration{2 * time.Second, 5 * time.Second, 12 * time.Second} {
		if o = longQuery(e, "deadline", d); o.status != NotProvable {
			return o
		}
	}
	return fail(o.detail)
}

// longQuery runs the dialect's 60-second statement, tagged with a unique
// marker, on its own connection. With deadline 0 it cancels the context once
// another session sees the statement running; otherwise the context has that
// deadline. It requires the call to return an error matching the context's,
// the server to stop running the statement, and the pool to answer after.
// The server is watched by the target's Observer when it has one, else by
// the dialect's SQL from a monitor session. For an embedded engine (no
// session can watch another) the proof that the work stopped is that the
// same connection answers the next query at once.
func longQuery(e *env, what string, deadline time.Duration) outcome {
	marker := unique("vapconf")
	q := fmt.Sprintf(e.d.Sleep, marker)

	var watch func() (int, error) // how many statements tagged marker run
	watcher := "the server"
	switch {
	case e.target.Observer != nil:
		watch = func() (int, error) { return observed(e, marker) }
		watcher = "the target's observer"
	case e.d.Running != "":
		mon, err := e.db.Conn(e.ctx)
		if err != nil {
			return failErr("monitor session", e.observe(err))
		}
		defer mon.Close()
		watch = func() (int, error) { return running(e, mon, marker) }
	}
	conn, err := e.db.Conn(e.ctx)
	if err != nil {
		return failErr("query session", e.observe(err))
	}
	defer conn.Close()

	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	want := context.Canceled
	if deadline > 0 {
		var dcancel context.CancelFunc
		ctx, dcancel = context.WithTimeout(ctx, deadline)
		defer dcancel()
		want = context.DeadlineExceeded
	}
	done := make(chan error, 1)
	go func() {
		var n any
		done <- conn.QueryRowContext(ctx, q).Scan(&n)
	}()
	// On an early return the query may still be running on conn: stop it
	// and let it return before conn closes (database/sql panics on a
	// sql.Conn closed under a running call).
	returned := false
	defer func() {
		if !returned {
			cancel()
			select {
			case <-done:
			case <-time.After(stopWait):
			}
		}
	}()

	seen := false
	if watch != nil {
		var err error
		seen, err = waitRunning(watch, done)
		if err != nil {
			return failErr("watching the server", err)
		}
		if !seen && deadline == 0 {
			return fail("the long query never showed on the server")
		}
	} else {
		// Let the engine start working before interrupting it.
		select {
		case <-time.After(300 * time.Millisecond):
		case <-ctx.Done():
		}
	}
	if deadline == 0 {
		cancel()
	}
	var qerr error
	select {
	case qerr = <-done:
		returned = true
	case <-time.After(stopWait + deadline):
		return fail(fmt.Sprintf("%s: the call had not returned %s later", what, stopWait+deadline))
	}
	if qerr == nil {
		return fail(what + ": the long query finished without an error")
	}
	e.observe(qerr)
	if watch != nil && !seen {
		return notProvable(fmt.Sprintf("the %s deadline expired before the server showed the query", deadline))
	}
	// A driver that reports the interrupted statement with its own error
	// (registry.Type.Canceled: go-ora's ORA-01013) fails this for
	// database/sql callers; vap's readers are then checked separately.
	own := !errors.Is(qerr, want) && e.typ != nil && e.typ.Canceled != nil && e.typ.Canceled(qerr)
	if !errors.Is(qerr, want) && !own {
		return fail(fmt.Sprintf("%s: error %q does not match %v", what, qerr, want))
	}
	proof := "the same connection answers at once"
	if watch != nil {
		if err := waitGone(watch); err != nil {
			return fail(what + ": " + err.Error())
		}
		proof = watcher + " saw the server stop running it"
	} else {
		var one any
		if err := e.observe(conn.QueryRowContext(e.ctx, e.typ.PingQuery).Scan(&one)); err != nil {
			return failErr(what+": the connection after the interrupted query", err)
		}
	}
	if err := e.observe(e.db.PingContext(e.ctx)); err != nil {
		return failErr(what+": the pool afterwards", err)
	}
	if own {
		return readerQuery(e, what, deadline, want, proof, qerr)
	}
	return pass(fmt.Sprintf("%s; error %q", proof, firstLine(qerr.Error())))
}

// readerQuery runs the long statement again through vap's reader (odbc's
// StreamDB, the path Flows use), ended the same way, after database/sql
// gave the driver's own error dbErr: the reader's error must match want
// and keep the driver's (registry.Type.Canceled), and the server must stop
// the statement. The pass carries a note that database/sql callers get
// the driver's error alone.
func readerQuery(e *env, what string, deadline time.Duration, want error, proof string, dbErr error) outcome {
	marker := unique("vapconf")
	q := fmt.Sprintf(e.d.Sleep, marker)
	var watch func() (int, error)
	switch {
	case e.target.Observer != nil:
		watch = func() (int, error) { return observed(e, marker) }
	case e.d.Running != "":
		mon, err := e.db.Conn(e.ctx)
		if err != nil {
			return failErr("monitor session", e.observe(err))
		}
		defer mon.Close()
		watch = func() (int, error) { return running(e, mon, marker) }
	default:
		return fail(what + ": the driver reports a cancel with its own error, and nothing can watch the server stop the statement")
	}
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	if deadline > 0 {
		var dcancel context.CancelFunc
		ctx, dcancel = context.WithTimeout(ctx, deadline)
		defer dcancel()
	}
	done := make(chan error, 1)
	go func() {
		for _, err := range odbc.StreamDB(ctx, e.db, q) {
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	returned := false
	defer func() {
		if !returned {
			cancel()
			select {
			case <-done:
			case <-time.After(stopWait):
			}
		}
	}()
	seen, err := waitRunning(watch, done)
	if err != nil {
		return failErr("watching the server", err)
	}
	if !seen && deadline == 0 {
		return fail("through vap's reader, the long query never showed on the server")
	}
	if deadline == 0 {
		cancel()
	}
	var rerr error
	select {
	case rerr = <-done:
		returned = true
	case <-time.After(stopWait + deadline):
		return fail(fmt.Sprintf("%s through vap's reader: the call had not returned %s later", what, stopWait+deadline))
	}
	if rerr == nil {
		return fail(what + " through vap's reader: the long query finished without an error")
	}
	e.observe(rerr)
	if !seen {
		return notProvable(fmt.Sprintf("the %s deadline expired before the server showed the query", deadline))
	}
	if !errors.Is(rerr, want) || !e.typ.Canceled(rerr) {
		return fail(fmt.Sprintf("%s through vap's reader: error %q does not match both %v and the driver's own error", what, rerr, want))
	}
	if err := waitGone(watch); err != nil {
		return fail(what + " through vap's reader: " + err.Error())
	}
	if err := e.observe(e.db.PingContext(e.ctx)); err != nil {
		return failErr(what+": the pool afterwards", err)
	}
	o := pass(fmt.Sprintf("%s (database/sql and vap's reader); reader error %q", proof, firstLine(rerr.Error())))
	o.note = fmt.Sprintf("the statement stops on the server, but database/sql callers get the driver's own error %q, "+
		"which does not match %v; vap's readers (odbc OdbcToRows, Stream) return one that matches both (registry.Type.Canceled)",
		firstLine(dbErr.Error()), want)
	return o
}

// running counts the other sessions running the statement tagged marker.
func running(e *env, mon *sql.Conn, marker string) (int, error) {
	var n int
	err := mon.QueryRowContext(e.ctx, e.d.Running, "%"+marker+"%").Scan(&n)
	return n, e.observe(err)
}

// observed counts the statements tagged marker that the target's Observer
// sees running.
func observed(e *env, marker string) (int, error) {
	stmts, err := e.target.Observer.Running(e.ctx)
	if err != nil {
		return 0, e.observe(err)
	}
	n := 0
	for _, s := range stmts {
		if strings.Contains(s, marker) {
			n++
		}
	}
	return n, nil
}

// waitRunning polls watch until the server shows the statement (true), or
// the call returns first (false), within stopWait. A returned call is put
// back on done.
func waitRunning(watch func() (int, error), done chan error) (bool, error) {
	limit := time.Now().Add(stopWait)
	for time.Now().Before(limit) {
		n, err := watch()
		if err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
		select {
		case err := <-done:
			done <- err
			return false, nil
		case <-time.After(20 * time.Millisecond):
		}
	}
	return false, nil
}

// waitGone polls watch until no session runs the statement, within stopWait.
func waitGone(watch func() (int, error)) error {
	limit := time.Now().Add(stopWait)
	for {
		n, err := watch()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if time.Now().After(limit) {
			return fmt.Errorf("the server still runs the query %s after the call returned", stopWait)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
