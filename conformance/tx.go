package conformance

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// withTable creates a scratch table, runs fn with its name, and drops it.
func withTable(e *env, fn func(table string) outcome) outcome {
	table := unique("vap_conformance_")
	if _, err := e.db.ExecContext(e.ctx, fmt.Sprintf(e.d.Table, table)); err != nil {
		return failErr("create a scratch table (the suite needs CREATE TABLE)", e.observe(err))
	}
	defer e.db.ExecContext(context.WithoutCancel(e.ctx), "DROP TABLE "+table)
	return fn(table)
}

// queryRower is a *sql.DB, *sql.Conn or *sql.Tx.
type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func count(e *env, q queryRower, table string) (int, error) {
	var n int
	err := q.QueryRowContext(e.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
	return n, e.observe(err)
}

func checkTx(e *env) outcome {
	return withTable(e, func(table string) outcome {
		ins := fmt.Sprintf("INSERT INTO %s (id, v) VALUES (%s, %s)", table, e.ph(1), e.ph(2))
		tx, err := e.db.BeginTx(e.ctx, nil)
		if err != nil {
			return failErr("begin", e.observe(err))
		}
		if _, err := tx.ExecContext(e.ctx, ins, 1, "rolled back"); err != nil {
			tx.Rollback()
			return failErr("insert", e.observe(err))
		}
		if n, err := count(e, tx, table); err != nil || n != 1 {
			tx.Rollback()
			return fail(fmt.Sprintf("inside the transaction: %d rows, %v", n, err))
		}
		if err := tx.Rollback(); err != nil {
			return failErr("rollback", e.observe(err))
		}
		if n, err := count(e, e.db, table); err != nil || n != 0 {
			return fail(fmt.Sprintf("after rollback: %d rows (want 0), %v", n, err))
		}
		tx, err = e.db.BeginTx(e.ctx, nil)
		if err != nil {
			return failErr("begin", e.observe(err))
		}
		for i := 1; i <= 3; i++ {
			if _, err := tx.ExecContext(e.ctx, ins, i, "committed"); err != nil {
				tx.Rollback()
				return failErr("insert", e.observe(err))
			}
		}
		if err := tx.Commit(); err != nil {
			return failErr("commit", e.observe(err))
		}
		if n, err := count(e, e.db, table); err != nil || n != 3 {
			return fail(fmt.Sprintf("after commit: %d rows (want 3), %v", n, err))
		}
		if err := tx.Commit(); err == nil {
			return fail("a second Commit returned no error")
		}
		return pass("rollback left 0 rows, commit kept 3")
	})
}

var levels = []sql.IsolationLevel{sql.LevelReadUncommitted, sql.LevelReadCommitted, sql.LevelRepeatableRead, sql.LevelSerializable}

// checkIsolation begins a transaction at each standard level, reads a
// scratch table in it, and, where the server can tell, reads the level the
// transaction runs at. A level must be refused at BeginTx, or run at that
// level or a stricter one (the SQL standard allows stricter): running
// silently at a weaker level fails. Dialect.LevelName says what the
// database runs for each request. A level the user may not read (a missing
// privilege, Dialect.MissingGrant) is not provable, naming the grant.
func checkIsolation(e *env) outcome {
	return withTable(e, func(table string) outcome {
		var verified, accepted, refused []string
		for _, lvl := range levels {
			tx, err := e.db.BeginTx(e.ctx, &sql.TxOptions{Isolation: lvl})
			if err != nil {
				e.observe(err)
				refused = append(refused, lvl.String())
				continue
			}
			runs, known := e.d.LevelName[lvl]
			if _, err := count(e, tx, table); err != nil {
				tx.Rollback()
				return failErr(fmt.Sprintf("%s: read in the transaction", lvl), err)
			}
			if e.d.Isolation == "" {
				tx.Rollback()
				if !known || rank(runs) < rank(levelText(lvl)) {
					return fail(fmt.Sprintf("%s: accepted, but %s would run it at %q", lvl, e.d.Family, runs))
				}
				accepted = append(accepted, fmt.Sprintf("%s (runs %s)", lvl, runs))
				continue
			}
			time.Sleep(e.d.IsolationLag)
			var got string
			err = tx.QueryRowContext(e.ctx, e.d.Isolation).Scan(&got)
			tx.Rollback()
			got = strings.ToLower(got)
			switch {
			case err == sql.ErrNoRows:
				accepted = append(accepted, lvl.String())
			case err != nil:
				err = e.observe(err)
				if e.d.MissingGrant != nil {
					if grant := e.d.MissingGrant(err); grant != "" {
						return notProvable(fmt.Sprintf("reading the transaction's isolation level needs %s", grant))
					}
				}
				return failErr(fmt.Sprintf("%s: read the level", lvl), err)
			case rank(got) < rank(levelText(lvl)):
				return fail(fmt.Sprintf("asked for %s, the server runs %q", lvl, got))
			default:
				verified = append(verified, lvl.String())
			}
		}
		if len(verified)+len(accepted) == 0 {
			return fail("every isolation level was refused")
		}
		var parts []string
		for _, p := range []struct {
			what string
			l    []string
		}{{"server reports", verified}, {"accepted", accepted}, {"refused", refused}} {
			if len(p.l) > 0 {
				parts = append(parts, p.what+": "+strings.Join(p.l, ", "))
			}
		}
		return pass(strings.Join(parts, "; "))
	})
}

// levelText is a level as servers spell it ("read committed").
func levelText(l sql.IsolationLevel) string { return strings.ToLower(l.String()) }

// rank orders the standard levels from weakest to strictest; an unknown
// name ranks lowest.
func rank(level string) int {
	return slices.Index([]string{"read uncommitted", "read committed", "repeatable read", "serializable"}, level)
}
