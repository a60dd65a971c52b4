package conformance

import (
	"database/sql"
	"fmt"
)

const poolSize = 4

// checkPoolRecovery fills the pool with connections, has the server drop
// every one of them (from another connection), then keeps querying. The
// pool must replace them: after at most one failure per dropped connection,
// every query succeeds.
func checkPoolRecovery(e *env) outcome {
	e.db.SetMaxIdleConns(poolSize)
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
		if err := c.QueryRowContext(e.ctx, e.d.sessionID).Scan(&id); err != nil {
			c.Close()
			return failErr(e.d.sessionID, e.observe(err))
		}
		conns = append(conns, c)
		ids = append(ids, id)
	}
	for _, c := range conns {
		c.Close() // back to the pool, idle
	}
	for _, id := range ids {
		if _, err := killer.ExecContext(e.ctx, e.d.kill(id)); err != nil {
			return failErr("drop a pooled session", e.observe(err))
		}
	}
	failures := 0
	var firstErr string
	const tries = 3 * poolSize
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
			return fail(fmt.Sprintf("query %d of %d after the drop failed (%d failures): %s", i+1, tries, failures, firstErr))
		}
	}
	for range 2 {
		var id int64
		if err := e.db.QueryRowContext(e.ctx, e.d.sessionID).Scan(&id); err != nil {
			return failErr("session after recovery", e.observe(err))
		}
		for _, old := range ids {
			if id == old {
				return fail(fmt.Sprintf("session %d was dropped by the server but is still in use", id))
			}
		}
	}
	d := fmt.Sprintf("%d sessions dropped; %d queries, %d failed before the pool replaced them", len(ids), tries, failures)
	if firstErr != "" {
		d += " (" + firstErr + ")"
	}
	return pass(d)
}
