package conformance

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	vapdriver "github.com/vapsql/vap/driver"
)

// Check runs the suite against target and returns one Result per check, in
// the order of Checks. It never panics on a misbehaving driver's error and
// never returns a secret in a Detail. ctx bounds the whole run.
func Check(ctx context.Context, target Target) []Result {
	e := &env{ctx: ctx, target: target, st: target.store()}
	var setupErr error
	e.conn, setupErr = e.st.Resolve(ctx, target.Name)
	if setupErr == nil {
		e.typ, setupErr = e.st.Registry().Resolve(e.conn.Type)
	}
	if setupErr == nil {
		e.d = e.typ.Dialect
		e.c, setupErr = vapdriver.NewConnector(target.Name, vapdriver.WithStore(e.st), vapdriver.WithRegistry(e.st.Registry()))
	}
	e.observe(setupErr)
	if setupErr == nil {
		e.db = sql.OpenDB(e.c)
		defer e.db.Close()
	}

	var out []Result
	for _, c := range suite() {
		r := Result{ID: c.id, Title: c.title}
		var o outcome
		switch reason, gap := target.Gaps[c.id]; {
		case gap:
			o, r.Declared = notProvable(reason), true
		case setupErr != nil:
			o = fail("not run: the connection does not resolve: " + setupErr.Error())
		case c.server && c.id != "ping" && !e.pingOK:
			o = fail("not run: ping failed")
		case c.dialect && e.d == nil:
			o = notProvable(fmt.Sprintf("type %s declares no SQL dialect (registry.Type.Dialect)", e.typ.Name))
		case c.dialect && e.d.NA[c.id] != "":
			o = notApplicable(e.d.NA[c.id])
		case c.dialect && e.d.NP[c.id] != "" && !(c.observed && target.Observer != nil):
			// A limit of the database's SQL, stated in the dialect: as good
			// as declared.
			o, r.Declared = notProvable(e.d.NP[c.id]), true
		default:
			o = runOne(e, c)
		}
		r.Status, r.Detail, r.Note = o.status, e.scrub(o.detail), e.scrub(o.note)
		out = append(out, r)
	}
	for id := range target.Gaps {
		if !knownCheck(id) {
			out = append(out, Result{ID: id, Title: "declared gap", Status: Fail, Detail: "Target.Gaps names no check; known: " + strings.Join(Checks(), ", ")})
		}
	}
	return out
}

// runOne runs c, turning a panic into a failure.
func runOne(e *env, c check) (o outcome) {
	defer func() {
		if p := recover(); p != nil {
			o = fail(fmt.Sprintf("panic: %v", p))
		}
	}()
	if err := e.ctx.Err(); err != nil {
		return fail("not run: " + err.Error())
	}
	return c.run(e)
}
