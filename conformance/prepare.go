package conformance

import "fmt"

// checkPrepare prepares one statement, executes it many times with
// different arguments, then closes every idle connection so database/sql
// must prepare it again on a new one, and executes it again.
func checkPrepare(e *env) outcome {
	q := fmt.Sprintf("SELECT "+e.d.BindCast["int64"]+", "+e.d.BindCast["text"], e.ph(1), e.ph(2)) + e.d.From
	stmt, err := e.db.PrepareContext(e.ctx, q)
	if err != nil {
		return failErr("prepare "+q, e.observe(err))
	}
	defer stmt.Close()
	run := func(from, to int) outcome {
		for i := from; i < to; i++ {
			var n int64
			var s string
			if err := stmt.QueryRowContext(e.ctx, int64(i), fmt.Sprint("v", i)).Scan(&n, &s); err != nil {
				return failErr(fmt.Sprintf("execution %d", i), e.observe(err))
			}
			if n != int64(i) || s != fmt.Sprint("v", i) {
				return fail(fmt.Sprintf("execution %d returned (%d, %q)", i, n, s))
			}
		}
		return outcome{}
	}
	if o := run(0, 50); o.status == Fail {
		return o
	}
	e.db.SetMaxIdleConns(0) // closes the connection the statement was prepared on
	e.db.SetMaxIdleConns(2)
	if o := run(50, 100); o.status == Fail {
		return fail("after its connection was closed: " + o.detail)
	}
	return pass("100 executions of one *sql.Stmt, across a reconnection")
}
