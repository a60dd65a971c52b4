package conformance

import (
	"bytes"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"
)

func checkBind(e *env) outcome {
	inst := time.Date(2024, 2, 29, 18, 29, 59, 123456000, time.UTC)
	type arg struct {
		kind string
		val  any
		dest any
		ok   func(any) bool
	}
	args := []arg{
		{"int64", int64(math.MinInt64), new(int64), func(g any) bool { return *g.(*int64) == math.MinInt64 }},
		{"int64", int64(math.MaxInt64), new(int64), func(g any) bool { return *g.(*int64) == math.MaxInt64 }},
		{"float64", 0.1, new(float64), func(g any) bool { return *g.(*float64) == 0.1 }},
		{"text", "𝄞 bound 😀", new(string), func(g any) bool { return *g.(*string) == "𝄞 bound 😀" }},
		{"text", "", new(sql.NullString), func(g any) bool {
			ns := *g.(*sql.NullString)
			if e.d.EmptyIsNull {
				return !ns.Valid
			}
			return ns.Valid && ns.String == ""
		}},
		{"binary", []byte{0, 1, 0, 255}, new([]byte), func(g any) bool { return bytes.Equal(*g.(*[]byte), []byte{0, 1, 0, 255}) }},
		{"bool", true, new(bool), func(g any) bool { return *g.(*bool) }},
		{"timestamptz", inst, new(time.Time), func(g any) bool { return g.(*time.Time).Equal(inst) }},
	}
	var exprs []string
	var vals, dests []any
	var kinds []string
	for _, a := range args {
		cast, ok := e.d.BindCast[a.kind]
		if !ok {
			continue
		}
		exprs = append(exprs, fmt.Sprintf(cast, e.ph(len(exprs)+1)))
		vals = append(vals, a.val)
		dests = append(dests, a.dest)
		kinds = append(kinds, a.kind)
	}
	q := "SELECT " + strings.Join(exprs, ", ") + e.d.From
	if err := e.observe(e.db.QueryRowContext(e.ctx, q, vals...).Scan(dests...)); err != nil {
		return failErr(q, err)
	}
	n := 0
	for _, a := range args {
		if _, ok := e.d.BindCast[a.kind]; !ok {
			continue
		}
		if !a.ok(dests[n]) {
			return fail(fmt.Sprintf("parameter %s (%s): sent %#v, got %#v", e.ph(n+1), a.kind, a.val, deref(dests[n])))
		}
		n++
	}
	return pass(fmt.Sprintf("%d parameters %s…%s (%s)", n, e.ph(1), e.ph(n), strings.Join(uniq(kinds), ", ")))
}

func uniq(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
