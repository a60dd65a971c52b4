package conformance

import (
	"database/sql"
	"fmt"
)

const poolSize = 4

// checkPoolRecovery fills the pool with connections, has the server drop
// every one of them, then keeps querying. The pool must replace them: after
// at most one failure per dropped connection, every query succeeds. The
// sessions are ended by the target's Observer when it has one, else by the
// dialect's SQL from another connection.
func checkPoolRecovery(e *env) outcome {
	e.db.SetMaxIdleConns(poolSize)
	if e.target.Observer != nil {
		return poolRecoveryObserved(e)
	}
	// The killer is a session of its own, held outside the idle pool.
	killer, err := e.db.Conn(e.ctx)
	if err != nil {
		return failErr("killer session", e.observe(err))
	}
	defer killer.Close()
	var conns []*sql.Conn
	var ids []int64
	for range poolSize {
		c, err := e.db.Conn(e.ctx)
		if err != nil {
			return failErr("fill the pool", e.observe(err))
		}
		var id int64
		if err := c.QueryRowContext(e.ctx, e.d.SessionID).Scan(&id); err != nil {
			c.Close()
			return failErr(e.d.SessionID, e.observe(err))
		}
		conns = append(conns, c)
		ids = append(ids, id)
	}
	for _, c := range conns {
		c.Close() // back to the pool, idle
	}
	for _, id := range ids {
		if _, err := killer.ExecContext(e.ctx, e.d.Kill(id)); err != nil {
			return failErr("drop a pooled session", e.observe(err))
		}
	}
	tries, failures, firstErr, bad := queryAfterDrop(e)
	if bad != nil {
		return *bad
	}
	for range 2 {
		var id int64
		if err := e.db.QueryRowContext(e.ctx, e.d.SessionID).Scan(&id); err != nil {
			return failErr("session after recovery", e.observe(err))
		}
		for _, old := range ids {
			if id == old {
				return fail(fmt.Sprintf("session %d was dropped by the server but is still in use", id))
			}
		}
	}
	return pass(recoveryDetail(fmt.Sprintf("%d sessions dropped", len(ids)), tries, failures, firstErr))
}

// poolRecoveryObserved fills the pool, has the target's Observer end every
// session on the server, and requires the pool to recover. A session the
// server ended cannot answer, so every query that succeeds ran on a new one.
func poolRecoveryObserved(e *env) outcome {
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range poolSize {
		c, err := e.db.Conn(e.ctx)
		if err != nil {
			return failErr("fill the pool", e.observe(err))
		}
		conns = append(conns, c)
		var one any
		if err := c.QueryRowContext(e.ctx, e.typ.PingQuery).Scan(&one); err != nil {
			return failErr("fill the pool", e.observe(err))
		}
	}
	for _, c := range conns {
		c.Close() // back to the pool, idle
	}
	conns = nil
	n, err := e.target.Observer.DropSessions(e.ctx)
	if err != nil {
		return failErr("the observer ending the server's sessions", e.observe(err))
	}
	if n < poolSize {
		return fail(fmt.Sprintf("the observer ended %d sessions; the pool held %d", n, poolSize))
	}
	tries, failures, firstErr, bad := queryAfterDrop(e)
	if bad != nil {
		return *bad
	}
	return pass(recoveryDetail(fmt.Sprintf("the target's observer ended %d sessions on the server", n), tries, failures, firstErr))
}

// queryAfterDrop runs the ping query 3×poolSize times on the pool. At most
// poolSize may fail, none of the last poolSize. bad is the failed outcome.
func queryAfterDrop(e *env) (tries, failures int, firstErr string, bad *outcome) {
	tries = 3 * poolSize
	for i := range tries {
		var one any
		err := e.db.QueryRowContext(e.ctx, e.typ.PingQuery).Scan(&one)
		if err == nil {
			continue
		}
		e.observe(err)
		failures++
		if firstErr == "" {
			firstErr = firstLine(err.Error())
		}
		if failures > poolSize || i >= tries-poolSize {
			o := fail(fmt.Sprintf("query %d of %d after the drop failed (%d failures): %s", i+1, tries, failures, firstErr))
			return tries, failures, firstErr, &o
		}
	}
	return tries, failures, firstErr, nil
}

func recoveryDetail(what string, tries, failures int, firstErr string) string {
	d := fmt.Sprintf("%s; %d queries, %d failed before the pool replaced them", what, tries, failures)
	if firstErr != "" {
		d += " (" + firstErr + ")"
	}
	return d
}
