package conformance

import (
	"bytes"
	"database/sql"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/vapsql/vap/registry"
)

// kind is one normalized kind: literal values the suite selects, the Go
// destination database/sql scans them into, and how a scanned value is
// compared with the literal.
type kind struct {
	name   string
	values []string                       // literal text (hex for binary, TRUE/FALSE for bool)
	dest   func() any                     // a pointer to scan into
	equal  func(lit string, got any) bool // got is the dereferenced destination
	title  string
}

var kinds = []kind{
	{name: "int64", title: "BIGINT at both int64 bounds",
		values: []string{"-9223372036854775808", "9223372036854775807", "0", "-1"},
		dest:   func() any { return new(int64) },
		equal:  func(l string, g any) bool { return fmt.Sprint(g) == l }},
	{name: "float64", title: "DOUBLE: extremes and fractions, exactly",
		values: []string{"1.5", "-2.25", "0.1", "1.7976931348623157e308", "2.2250738585072014e-308"},
		dest:   func() any { return new(float64) },
		equal: func(l string, g any) bool {
			var want float64
			fmt.Sscan(l, &want)
			return g.(float64) == want
		}},
	{name: "decimal", title: "exact DECIMAL/NUMERIC(38,9)",
		values: []string{"12345678901234567890.123456789", "-0.000000001", "99999999999999999999999999999.999999999", "0"},
		dest:   func() any { return new(string) },
		equal: func(l string, g any) bool {
			want, ok1 := new(big.Rat).SetString(l)
			got, ok2 := new(big.Rat).SetString(g.(string))
			return ok1 && ok2 && want.Cmp(got) == 0
		}},
	{name: "text", title: "Unicode text incl. 4-byte code points and ''",
		values: []string{"", "plain ascii", "héllo wörld", "日本語テキスト", "𝄞 😀 🇫🇷"},
		dest:   func() any { return new(string) },
		equal:  func(l string, g any) bool { return g.(string) == l }},
	{name: "binary", title: "binary with zero bytes",
		values: []string{"00ff00017f8000", "00"},
		dest:   func() any { return new([]byte) },
		equal:  func(l string, g any) bool { return bytes.Equal(g.([]byte), unhex(l)) }},
	{name: "bool", title: "boolean true and false",
		values: []string{"TRUE", "FALSE"},
		dest:   func() any { return new(bool) },
		equal:  func(l string, g any) bool { return g.(bool) == (l == "TRUE") }},
	{name: "date", title: "DATE",
		values: []string{"2024-02-29", "1999-12-31"},
		dest:   func() any { return new(time.Time) },
		equal: func(l string, g any) bool {
			return g.(time.Time).Format(time.DateOnly) == l
		}},
	{name: "time", title: "TIME of day with microseconds",
		values: []string{"13:45:30.123456", "00:00:00"},
		dest:   func() any { return new(any) },
		equal: func(l string, g any) bool {
			got, ok := timeOfDay(g)
			want, _ := time.Parse("15:04:05.999999", l)
			return ok && got.Equal(want)
		}},
	{name: "timestamp", title: "TIMESTAMP without time zone, microseconds",
		values: []string{"2024-02-29 23:59:59.123456", "1970-01-01 00:00:00"},
		dest:   func() any { return new(time.Time) },
		equal: func(l string, g any) bool {
			want, _ := time.Parse("2006-01-02 15:04:05.999999", l)
			t := g.(time.Time)
			wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
			return wall.Equal(want)
		}},
	{name: "timestamptz", title: "TIMESTAMP WITH TIME ZONE (the instant)",
		values: []string{"2024-02-29 23:59:59.123456+05:30", "1970-01-01 00:00:00+00:00"},
		dest:   func() any { return new(time.Time) },
		equal: func(l string, g any) bool {
			want, _ := time.Parse("2006-01-02 15:04:05.999999-07:00", l)
			return g.(time.Time).Equal(want)
		}},
}

// timeOfDay reads a TIME value as drivers return it: text ("13:45:30.123456",
// as []byte or string) or a time.Time on any date.
func timeOfDay(v any) (time.Time, bool) {
	var s string
	switch x := v.(type) {
	case time.Time:
		return time.Date(0, 1, 1, x.Hour(), x.Minute(), x.Second(), x.Nanosecond(), time.UTC), true
	case []byte:
		s = string(x)
	case string:
		s = x
	default:
		return time.Time{}, false
	}
	t, err := time.Parse("15:04:05.999999999", s)
	return t, err == nil
}

func unhex(s string) []byte {
	b := make([]byte, len(s)/2)
	for i := range b {
		fmt.Sscanf(s[2*i:2*i+2], "%02x", &b[i])
	}
	return b
}

// literal returns the SQL literal of value v of kind k in dialect d.
func literal(d *registry.Dialect, k, v string) string {
	if d.Literal != nil {
		if s := d.Literal(k, v); s != "" {
			return s
		}
	}
	switch k {
	case "bool":
		return v
	case "binary":
		return d.HexLiteral(unhex(v))
	}
	return "'" + v + "'"
}

func kindChecks() []check {
	var out []check
	for _, k := range kinds {
		out = append(out, check{id: "kinds/" + k.name, title: "SELECT " + k.title, server: true, dialect: true,
			run: func(e *env) outcome { return checkKind(e, k) }})
	}
	out = append(out,
		check{id: "kinds/float64-special", title: "SELECT DOUBLE NaN and ±infinity", server: true, dialect: true, run: checkSpecials},
		check{id: "kinds/null", title: "SELECT NULL of each kind", server: true, dialect: true, run: checkNulls},
	)
	return out
}

func checkKind(e *env, k kind) outcome {
	cast, ok := e.d.Cast[k.name]
	if !ok {
		return notApplicable("no cast for kind " + k.name)
	}
	exprs := make([]string, len(k.values))
	dests := make([]any, len(k.values))
	for i, v := range k.values {
		exprs[i] = fmt.Sprintf(cast, literal(e.d, k.name, v))
		dests[i] = k.dest()
		if emptyIsNull(e.d, k, v) {
			dests[i] = new(sql.NullString)
		}
	}
	q := "SELECT " + strings.Join(exprs, ", ") + e.d.From
	if err := e.observe(e.db.QueryRowContext(e.ctx, q).Scan(dests...)); err != nil {
		return failErr(q, err)
	}
	detail := fmt.Sprintf("%d values", len(k.values))
	for i, v := range k.values {
		if emptyIsNull(e.d, k, v) {
			if ns := dests[i].(*sql.NullString); ns.Valid {
				return fail(fmt.Sprintf("%s: got %q, want NULL (%s stores '' as NULL)", exprs[i], ns.String, e.d.Family))
			}
			detail += fmt.Sprintf("; '' is NULL on %s", e.d.Family)
			continue
		}
		got := deref(dests[i])
		if !k.equal(v, got) {
			return fail(fmt.Sprintf("%s: got %#v (%T), want %q", exprs[i], got, got, v))
		}
	}
	return pass(detail)
}

// emptyIsNull reports whether value v of kind k is an empty text that d's
// database reads back as NULL.
func emptyIsNull(d *registry.Dialect, k kind, v string) bool {
	return d.EmptyIsNull && k.name == "text" && v == ""
}

func checkSpecials(e *env) outcome {
	if len(e.d.Specials) == 0 {
		return notApplicable(e.d.Family + " has no NaN or infinity")
	}
	want := map[string]float64{"NaN": math.NaN(), "+Inf": math.Inf(1), "-Inf": math.Inf(-1)}
	var names []string
	for _, n := range []string{"NaN", "+Inf", "-Inf"} {
		expr, ok := e.d.Specials[n]
		if !ok {
			continue
		}
		var got float64
		q := "SELECT " + expr + e.d.From
		if err := e.observe(e.db.QueryRowContext(e.ctx, q).Scan(&got)); err != nil {
			return failErr(q, err)
		}
		w := want[n]
		if !(got == w || math.IsNaN(w) && math.IsNaN(got)) {
			return fail(fmt.Sprintf("%s: got %v, want %v", q, got, w))
		}
		names = append(names, n)
	}
	d := strings.Join(names, ", ")
	if len(names) < 3 {
		d += fmt.Sprintf(" (%s has no other special values)", e.d.Family)
	}
	return pass(d)
}

func checkNulls(e *env) outcome {
	var exprs, names []string
	for _, k := range kinds {
		if cast, ok := e.d.Cast[k.name]; ok {
			exprs = append(exprs, fmt.Sprintf(cast, "NULL"))
			names = append(names, k.name)
		}
	}
	dests := make([]any, len(exprs))
	for i := range dests {
		dests[i] = new(sql.Null[any])
	}
	q := "SELECT " + strings.Join(exprs, ", ") + e.d.From
	if err := e.observe(e.db.QueryRowContext(e.ctx, q).Scan(dests...)); err != nil {
		return failErr(q, err)
	}
	for i, d := range dests {
		if n := d.(*sql.Null[any]); n.Valid {
			return fail(fmt.Sprintf("NULL %s came back as %#v", names[i], n.V))
		}
	}
	return pass(strings.Join(names, ", "))
}

// deref returns what a Scan destination points to.
func deref(p any) any {
	switch x := p.(type) {
	case *int64:
		return *x
	case *float64:
		return *x
	case *string:
		return *x
	case *[]byte:
		return *x
	case *bool:
		return *x
	case *time.Time:
		return *x
	case *any:
		return *x
	}
	return p
}
