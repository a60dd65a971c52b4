package dbsqlpeer

import (
	"fmt"
	"strings"
)

// Spark SQL functions that SQLite lacks but row sources and payloads need,
// rewritten into SQLite SQL of the same result:
//
//   - range(end), range(start, end), range(start, end, step) and
//     range(start, end, step, numPartitions) in a FROM clause: the BIGINT
//     column id from start (default 0) up to end, exclusive, by step
//     (default 1), as a recursive CTE; numPartitions is ignored and a step
//     of 0 gives no rows;
//   - repeat(str, n): str repeated n times (empty for n <= 0, NULL when
//     either is NULL).

// rewriteFunctions applies the rewrites above to toks.
func rewriteFunctions(toks []token) []token {
	out := make([]token, 0, len(toks))
	ranges := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		prev := lastSolid(out)
		if t.kind == tokWord && !prev.punct('.') && (t.is("range") || t.is("repeat")) {
			if args, end, ok := callArgs(toks, i); ok {
				var repl string
				switch {
				case t.is("range") && (prev.is("FROM") || prev.is("JOIN") || prev.punct(',')) && len(args) >= 1 && len(args) <= 4:
					ranges++
					repl = rangeSQL(args, fmt.Sprintf("vap_range_%d", ranges))
				case t.is("repeat") && len(args) == 2:
					repl = fmt.Sprintf("(CASE WHEN (%[2]s) IS NULL THEN NULL ELSE replace(hex(zeroblob(max(%[2]s, 0))), '00', %[1]s) END)", args[0], args[1])
				}
				if repl != "" {
					out = append(out, tokenize(repl)...)
					i = end
					continue
				}
			}
		}
		out = append(out, t)
	}
	return out
}

// rangeSQL is the SQLite subquery for Spark's range with the given
// arguments (texts), its CTE named name.
func rangeSQL(args []string, name string) string {
	start, end, step := "0", args[0], "1"
	if len(args) >= 2 {
		start, end = args[0], args[1]
	}
	if len(args) >= 3 {
		step = args[2]
	}
	more := func(v string) string {
		return fmt.Sprintf("((%[3]s) > 0 AND %[1]s < (%[2]s)) OR ((%[3]s) < 0 AND %[1]s > (%[2]s))", v, end, step)
	}
	return fmt.Sprintf("(WITH RECURSIVE %[1]s(id) AS (SELECT (%[2]s) WHERE %[3]s UNION ALL SELECT id + (%[4]s) FROM %[1]s WHERE %[5]s) SELECT id FROM %[1]s)",
		name, start, more("("+start+")"), step, more("id + ("+step+")"))
}

// callArgs reads the parenthesized argument list after the function name at
// toks[i]: the trimmed text of each top-level argument and the index of the
// closing parenthesis. An empty argument or an unclosed list is not a call.
func callArgs(toks []token, i int) (args []string, end int, ok bool) {
	open := next(toks, i+1)
	if open >= len(toks) || !toks[open].punct('(') {
		return nil, 0, false
	}
	depth, from := 0, open+1
	for j := open; j < len(toks); j++ {
		switch {
		case toks[j].punct('('):
			depth++
		case toks[j].punct(')'):
			depth--
			if depth == 0 {
				a := strings.TrimSpace(tokensText(toks[from:j]))
				if a == "" {
					return nil, 0, false
				}
				return append(args, a), j, true
			}
		case depth == 1 && toks[j].punct(','):
			a := strings.TrimSpace(tokensText(toks[from:j]))
			if a == "" {
				return nil, 0, false
			}
			args = append(args, a)
			from = j + 1
		}
	}
	return nil, 0, false
}

// lastSolid returns the last token of toks that is not space, or a zero token.
func lastSolid(toks []token) token {
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i].kind != tokSpace {
			return toks[i]
		}
	}
	return token{}
}
