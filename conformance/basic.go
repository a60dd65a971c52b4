package conformance

import (
	"fmt"
	"strings"
)

func checkResolve(e *env) outcome {
	if e.c.Name() != e.target.Name {
		return fail(fmt.Sprintf("connector names %q, want %q", e.c.Name(), e.target.Name))
	}
	if got := e.c.Type(); got != e.typ {
		return fail(fmt.Sprintf("connector type %s, store type %s", got.Name, e.typ.Name))
	}
	var ph []string
	for n := 1; n <= 2; n++ {
		ph = append(ph, e.ph(n))
	}
	return pass(fmt.Sprintf("type %s, placeholders %s", e.typ.Name, strings.Join(ph, " ")))
}

func checkPing(e *env) outcome {
	if err := e.observe(e.db.PingContext(e.ctx)); err != nil {
		return failErr("ping", err)
	}
	var one any
	if err := e.observe(e.db.QueryRowContext(e.ctx, e.typ.PingQuery).Scan(&one)); err != nil {
		return failErr(e.typ.PingQuery, err)
	}
	e.pingOK = true
	return pass(e.typ.PingQuery)
}

func checkSyntax(e *env) outcome {
	conn, err := e.db.Conn(e.ctx)
	if err != nil {
		return failErr("take a connection", e.observe(err))
	}
	defer conn.Close()
	const bad = "SELEC 1 FROMM nowhere"
	rows, err := conn.QueryContext(e.ctx, bad)
	if err == nil {
		// Some drivers report the error on the first Next.
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
	}
	if err == nil {
		return fail(bad + ": no error")
	}
	e.observe(err)
	var one any
	if err := e.observe(conn.QueryRowContext(e.ctx, e.typ.PingQuery).Scan(&one)); err != nil {
		return failErr("same session after the syntax error", err)
	}
	return pass("error: " + firstLine(err.Error()))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}
