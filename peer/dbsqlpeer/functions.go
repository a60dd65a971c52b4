package dbsqlpeer

import (
	"fmt"
	"strings"

	"github.com/vapsql/vap/peer/sqltext"
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
//     either is NULL);
//   - current_user() and session_user(): the user whose bearer token sent
//     the statement (see TokenUser, Config.Viewers), a STRING.

// rewriteFunctions applies the rewrites above to toks.
func rewriteFunctions(toks []sqltext.Token, user string) []sqltext.Token {
	out := make([]sqltext.Token, 0, len(toks))
	ranges := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		prev := sqltext.LastSolid(out)
		if t.Kind == sqltext.Word && !prev.IsPunct('.') && (t.Is("current_user") || t.Is("session_user")) {
			if open := sqltext.NextSolid(toks, i+1); open < len(toks) && toks[open].IsPunct('(') {
				if end := sqltext.NextSolid(toks, open+1); end < len(toks) && toks[end].IsPunct(')') {
					out = append(out, sqltext.Tokenize("'"+strings.ReplaceAll(user, "'", "''")+"'")...)
					i = end
					continue
				}
			}
		}
		if t.Kind == sqltext.Word && !prev.IsPunct('.') && (t.Is("range") || t.Is("repeat")) {
			if args, end, ok := sqltext.CallArgs(toks, i); ok {
				var repl string
				switch {
				case t.Is("range") && (prev.Is("FROM") || prev.Is("JOIN") || prev.IsPunct(',')) && len(args) >= 1 && len(args) <= 4:
					ranges++
					repl = rangeSQL(args, fmt.Sprintf("vap_range_%d", ranges))
				case t.Is("repeat") && len(args) == 2:
					repl = fmt.Sprintf("(CASE WHEN (%[2]s) IS NULL THEN NULL ELSE replace(hex(zeroblob(max(%[2]s, 0))), '00', %[1]s) END)", args[0], args[1])
				}
				if repl != "" {
					out = append(out, sqltext.Tokenize(repl)...)
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
