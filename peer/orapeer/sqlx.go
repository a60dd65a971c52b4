package orapeer

import (
	"strconv"
	"strings"
)

// The peer does not parse Oracle SQL. It tokenizes a statement, classifies
// it by its first word, and rewrites the few Oracle spellings SQLite reads
// differently (binds, '' as NULL, DUAL row generators, Oracle functions,
// division, DDL types); the rest is SQLite's.

type stmtKind int

const (
	kindQuery stmtKind = iota + 1
	kindDML
	kindDDL
	kindPLSQL
	kindCommit
	kindRollback
	kindKill // ALTER SYSTEM KILL SESSION 'sid,serial#'
	kindSequence
)

// prepared is a statement ready for SQLite.
type prepared struct {
	kind   stmtKind
	text   string   // SQLite text, with ? for each bind occurrence
	params []string // bind names (upper case, without ':') in occurrence order
	hints  []colType
	into   []string        // DML ... RETURNING exprs INTO :binds: the OUT binds
	names  []string        // Oracle's name of each unaliased expression item ("" = SQLite's)
	quoted map[string]bool // quoted identifiers: their case is kept
	// seq is a CREATE (start, incr) or DROP (drop) SEQUENCE.
	seq sequenceDDL
	// kill is the target of ALTER SYSTEM KILL SESSION.
	killSID, killSerial int
	// plsql holds the parts of an anonymous block.
	plsql []plsqlStep
}

// plsqlStep is one statement of an anonymous PL/SQL block.
type plsqlStep struct {
	sleep *prepared // DBMS_SESSION.SLEEP(x) / DBMS_LOCK.SLEEP(x): the argument as a query
	query *prepared // SELECT ... INTO :binds: the query without INTO
	into  []string
	exec  *prepared // any other SQL statement
}

// sessionInfo is what rewriting needs to know about the session.
type sessionInfo struct {
	user string
	sid  int
}

var ddlWords = map[string]bool{"CREATE": true, "DROP": true, "ALTER": true, "TRUNCATE": true, "COMMENT": true, "GRANT": true, "REVOKE": true, "RENAME": true}

// prepare classifies and rewrites one Oracle statement.
func prepare(sql string, si sessionInfo) (*prepared, *oraError) {
	ts := solid(tokenize(sql))
	if len(ts) == 0 {
		return nil, errf(900, "invalid SQL statement")
	}
	first := strings.ToUpper(ts[0].text)
	if ts[0].punct("(") && len(ts) > 1 {
		first = strings.ToUpper(ts[1].text)
	}
	p := &prepared{quoted: map[string]bool{}}
	for _, t := range ts {
		if t.kind == tkQuoted && len(t.text) >= 2 && strings.HasSuffix(t.text, `"`) {
			p.quoted[strings.ReplaceAll(t.text[1:len(t.text)-1], `""`, `"`)] = true
		}
	}
	switch {
	case first == "SELECT" || first == "WITH":
		p.kind = kindQuery
	case first == "INSERT" || first == "UPDATE" || first == "DELETE" || first == "MERGE":
		p.kind = kindDML
	case first == "BEGIN" || first == "DECLARE":
		p.kind = kindPLSQL
		return preparePLSQL(p, ts, si)
	case first == "COMMIT":
		p.kind = kindCommit
		return p, nil
	case first == "ROLLBACK":
		p.kind = kindRollback
		return p, nil
	case ddlWords[first]:
		p.kind = kindDDL
	default:
		return nil, errf(900, "invalid SQL statement")
	}
	if ts[len(ts)-1].punct(";") {
		return nil, errf(933, "SQL command not properly ended")
	}
	if p.kind == kindQuery {
		ts = stripForUpdate(ts)
		p.hints, p.names = selectHints(ts)
	}
	if p.kind == kindDML {
		var e *oraError
		if ts, p.into, e = returningInto(ts); e != nil {
			return nil, e
		}
	}
	if p.kind == kindDDL && ts[0].is("ALTER") && len(ts) > 1 && ts[1].is("SESSION") {
		return p, nil // ALTER SESSION SET ...: accepted, no effect
	}
	if p.kind == kindDDL && len(ts) >= 5 && ts[0].is("ALTER") && ts[1].is("SYSTEM") && ts[2].is("KILL") && ts[3].is("SESSION") && ts[4].kind == tkString {
		sid, serial, ok := strings.Cut(unquote(ts[4].text), ",")
		a, err1 := strconv.Atoi(strings.TrimSpace(sid))
		b, err2 := strconv.Atoi(strings.TrimSpace(serial))
		if !ok || err1 != nil || err2 != nil {
			return nil, errf(26, "missing or invalid session ID")
		}
		p.kind, p.killSID, p.killSerial = kindKill, a, b
		return p, nil
	}
	if p.kind == kindDDL && len(ts) >= 3 && (ts[0].is("CREATE") || ts[0].is("DROP")) && ts[1].is("SEQUENCE") {
		return prepareSequence(p, ts)
	}
	if p.kind == kindDDL {
		var e *oraError
		if ts, e = rewriteDDL(ts); e != nil {
			return nil, e
		}
		if ts == nil { // a no-op (GRANT, COMMENT)
			p.text = ""
			return p, nil
		}
	}
	out, params, e := rewrite(ts, si)
	if e != nil {
		return nil, e
	}
	p.text, p.params = text(out), params
	return p, nil
}

// stripForUpdate drops a trailing FOR UPDATE [OF ...] [NOWAIT | WAIT n |
// SKIP LOCKED]: SQLite locks the whole database when a transaction writes.
func stripForUpdate(ts []tok) []tok {
	depth := 0
	for i, t := range ts {
		switch {
		case t.punct("("):
			depth++
		case t.punct(")"):
			depth--
		case depth == 0 && t.is("FOR") && i+1 < len(ts) && ts[i+1].is("UPDATE"):
			return ts[:i]
		}
	}
	return ts
}

// returningInto splits "RETURNING exprs INTO :a, :b" off a DML statement:
// SQLite returns the exprs, the peer sends them as the OUT binds.
func returningInto(ts []tok) ([]tok, []string, *oraError) {
	r := lastTopLevel(ts, 0, len(ts), "RETURNING")
	if r < 0 {
		r = lastTopLevel(ts, 0, len(ts), "RETURN")
	}
	if r < 0 {
		return ts, nil, nil
	}
	into := lastTopLevel(ts, r, len(ts), "INTO")
	if into < 0 {
		return nil, nil, errf(925, "missing INTO keyword")
	}
	var names []string
	for _, t := range ts[into+1:] {
		switch {
		case t.kind == tkParam:
			names = append(names, strings.ToUpper(t.text[1:]))
		case t.punct(","):
		default:
			return nil, nil, errf(1745, "invalid host/bind variable name")
		}
	}
	if len(names) == 0 {
		return nil, nil, errf(1745, "invalid host/bind variable name")
	}
	out := append([]tok(nil), ts[:into]...)
	out[r] = tok{kind: tkWord, text: "RETURNING"}
	return out, names, nil
}

// rewrite turns Oracle tokens into SQLite text tokens.
func rewrite(ts []tok, si sessionInfo) ([]tok, []string, *oraError) {
	ts = rewriteConnectBy(ts)
	ts = rewriteDivision(ts)
	ts = rewriteConcat(ts)
	ts = rewriteRownum(ts)
	var out []tok
	var params []string
	word := func(s string) tok { return tok{kind: tkWord, text: s} }
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		next := func(k int) tok {
			if i+k < len(ts) {
				return ts[i+k]
			}
			return tok{}
		}
		switch t.kind {
		case tkParam:
			params = append(params, strings.ToUpper(t.text[1:]))
			out = append(out, tok{kind: tkParam, text: "?"})
			continue
		case tkString:
			if t.text == "''" {
				out = append(out, word("NULL"))
				continue
			}
		case tkWord:
			u := strings.ToUpper(t.text)
			// seq.NEXTVAL / seq.CURRVAL: a value the peer binds per execution
			if next(1).punct(".") && (next(2).is("NEXTVAL") || next(2).is("CURRVAL")) && !(i > 0 && ts[i-1].punct(".")) {
				params = append(params, seqParam+strings.ToUpper(next(2).text)+":"+u)
				out = append(out, tok{kind: tkParam, text: "?"})
				i += 2
				continue
			}
			// schema prefixes SYS. and the session's own user
			if next(1).punct(".") && next(2).kind == tkWord && (u == "SYS" || u == si.user || u == "PUBLIC") && !(i > 0 && ts[i-1].punct(".")) {
				i++
				continue
			}
			if strings.ContainsAny(t.text, "$#") {
				out = append(out, tok{kind: tkQuoted, text: `"` + u + `"`})
				continue
			}
			if i > 0 && ts[i-1].punct(".") {
				break
			}
			if repl, ok := oracleWords[u]; ok && !next(1).punct("(") && !next(1).punct(".") {
				out = append(out, word(repl))
				continue
			}
			if u == "USER" && !next(1).punct("(") && !next(1).punct(".") {
				out = append(out, tok{kind: tkString, text: quote(si.user)})
				continue
			}
			if u == "SYS_CONTEXT" && next(1).punct("(") && next(2).kind == tkString && next(3).punct(",") && next(4).kind == tkString && next(5).punct(")") {
				out = append(out, sysContext(strings.ToUpper(unquote(next(4).text)), si))
				i += 5
				continue
			}
			if repl, ok := oracleFuncs[u]; ok && next(1).punct("(") {
				out = append(out, word(repl))
				continue
			}
			if u == "MINUS" {
				out = append(out, word("EXCEPT"))
				continue
			}
			if u == "CAST" && next(1).punct("(") {
				if end := closing(ts, i+1); end > 0 {
					if as := lastTopLevel(ts, i+2, end, "AS"); as > 0 {
						if fn, typ, ok := castTarget(ts[as+1 : end]); ok {
							inner, ps, e := rewrite(ts[i+2:as], si)
							if e != nil {
								return nil, nil, e
							}
							params = append(params, ps...)
							if fn != "" {
								out = append(out, word(fn), tok{kind: tkPunct, text: "("})
								out = append(out, inner...)
								out = append(out, tok{kind: tkPunct, text: ")"})
							} else {
								out = append(out, word("CAST"), tok{kind: tkPunct, text: "("})
								out = append(out, inner...)
								out = append(out, word("AS"), word(typ), tok{kind: tkPunct, text: ")"})
							}
							i = end
							continue
						}
					}
				}
			}
			if u == "FETCH" && (next(1).is("FIRST") || next(1).is("NEXT")) {
				// FETCH FIRST n ROWS ONLY -> LIMIT n
				j := i + 2
				var n []tok
				for j < len(ts) && !ts[j].is("ROWS") && !ts[j].is("ROW") {
					n = append(n, ts[j])
					j++
				}
				if j+1 < len(ts) && ts[j+1].is("ONLY") {
					inner, ps, e := rewrite(n, si)
					if e != nil {
						return nil, nil, e
					}
					params = append(params, ps...)
					// OFFSET came first in Oracle; SQLite wants LIMIT first
					if k := lastOffset(out); k >= 0 {
						off := append([]tok(nil), out[k:]...)
						out = append(out[:k], word("LIMIT"))
						out = append(out, inner...)
						out = append(out, off...)
					} else {
						out = append(out, word("LIMIT"))
						out = append(out, inner...)
					}
					i = j + 1
					continue
				}
			}
			if (u == "ROWS" || u == "ROW") && len(out) > 0 && hasOffsetBefore(out) {
				continue
			}
		}
		out = append(out, t)
	}
	// join with spaces
	res := make([]tok, 0, 2*len(out))
	for k, t := range out {
		if k > 0 {
			res = append(res, tok{kind: tkSpace, text: " "})
		}
		res = append(res, t)
	}
	return res, params, nil
}

func lastOffset(out []tok) int {
	for k := len(out) - 1; k >= 0; k-- {
		if out[k].is("OFFSET") {
			return k
		}
		if out[k].punct(")") {
			return -1
		}
	}
	return -1
}

func hasOffsetBefore(out []tok) bool {
	return len(out) >= 2 && out[len(out)-2].is("OFFSET")
}

// seqParam starts the name of a parameter standing for a sequence value
// ("\x00NEXTVAL:SEQ"); no bind name can contain NUL.
const seqParam = "\x00"

// oracleWords are pseudo-columns and constants.
var oracleWords = map[string]string{
	"SYSDATE":                "ora_sysdate()",
	"CURRENT_DATE":           "ora_sysdate()",
	"SYSTIMESTAMP":           "ora_systimestamp()",
	"CURRENT_TIMESTAMP":      "ora_systimestamp()",
	"LOCALTIMESTAMP":         "ora_localtimestamp()",
	"BINARY_DOUBLE_NAN":      "ora_nan()",
	"BINARY_DOUBLE_INFINITY": "ora_inf()",
	"BINARY_FLOAT_NAN":       "ora_nan()",
	"BINARY_FLOAT_INFINITY":  "ora_inf()",
	"DBTIMEZONE":             "'+00:00'",
	"SESSIONTIMEZONE":        "'+00:00'",
}

// oracleFuncs are functions the peer implements (functions.go).
var oracleFuncs = map[string]string{
	"TO_DATE":          "ora_to_date",
	"TO_TIMESTAMP":     "ora_to_timestamp",
	"TO_TIMESTAMP_TZ":  "ora_to_timestamp_tz",
	"TO_CHAR":          "ora_to_char",
	"TO_NUMBER":        "ora_to_number",
	"TO_BINARY_DOUBLE": "ora_to_binary_double",
	"NVL":              "coalesce",
	"NVL2":             "ora_nvl2",
	"DECODE":           "ora_decode",
	"MOD":              "ora_mod",
	"TRUNC":            "ora_trunc",
	"CONCAT":           "ora_concat",
	"LENGTH":           "ora_length",
	"SUBSTR":           "ora_substr",
	"POWER":            "ora_power",
	"SQRT":             "ora_sqrt",
	"FLOOR":            "ora_floor",
	"CEIL":             "ora_ceil",
	"ROUND":            "ora_round",
	"HEXTORAW":         "ora_hextoraw",
	"RAWTOHEX":         "ora_rawtohex",
	"ADD_MONTHS":       "ora_add_months",
	"LPAD":             "ora_lpad",
	"RPAD":             "ora_rpad",
	"INSTR":            "ora_instr",
	"EXTRACT":          "EXTRACT",
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// unquote returns a string literal's value; an unterminated literal runs
// to the end.
func unquote(s string) string {
	if len(s) < 2 || !strings.HasSuffix(s, "'") {
		return strings.ReplaceAll(strings.TrimPrefix(s, "'"), "''", "'")
	}
	return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
}

// sysContext evaluates SYS_CONTEXT('USERENV', name).
func sysContext(name string, si sessionInfo) tok {
	switch name {
	case "SID":
		return tok{kind: tkString, text: quote(strconv.Itoa(si.sid))}
	case "SESSION_USER", "CURRENT_USER", "CURRENT_SCHEMA":
		return tok{kind: tkString, text: quote(si.user)}
	case "DB_NAME", "SERVICE_NAME", "INSTANCE_NAME":
		return tok{kind: tkString, text: quote("ORAPEER")}
	}
	return tok{kind: tkWord, text: "NULL"}
}

// lastTopLevel returns the last index in [from,to) of word w at depth 0.
func lastTopLevel(ts []tok, from, to int, w string) int {
	depth, at := 0, -1
	for j := from; j < to; j++ {
		switch {
		case ts[j].punct("("):
			depth++
		case ts[j].punct(")"):
			depth--
		case depth == 0 && ts[j].is(w):
			at = j
		}
	}
	return at
}

// castTarget maps an Oracle CAST target to a SQLite type or a function.
func castTarget(ts []tok) (fn, typ string, ok bool) {
	if len(ts) == 0 || ts[0].kind != tkWord {
		return "", "", false
	}
	var words []string
	for _, t := range ts {
		if t.kind == tkWord {
			words = append(words, strings.ToUpper(t.text))
		}
	}
	name := strings.Join(words, " ")
	switch {
	case strings.HasPrefix(name, "TIMESTAMP") && strings.Contains(name, "TIME ZONE"):
		return "ora_cast_tstz", "", true
	case strings.HasPrefix(name, "TIMESTAMP"):
		return "ora_cast_timestamp", "", true
	case name == "DATE":
		return "ora_cast_date", "", true
	case strings.HasPrefix(name, "BINARY_DOUBLE") || strings.HasPrefix(name, "BINARY_FLOAT"):
		return "ora_to_binary_double", "", true
	case strings.HasPrefix(name, "NUMBER") || strings.HasPrefix(name, "INTEGER") || strings.HasPrefix(name, "INT") || strings.HasPrefix(name, "DECIMAL") || strings.HasPrefix(name, "FLOAT"):
		return "ora_to_number", "", true
	case strings.HasPrefix(name, "VARCHAR") || strings.HasPrefix(name, "NVARCHAR") || strings.HasPrefix(name, "CHAR") || strings.HasPrefix(name, "NCHAR"):
		return "ora_to_char", "", true
	case strings.HasPrefix(name, "RAW"):
		return "", "BLOB", true
	}
	return "", "", false
}

// rewriteConnectBy turns "FROM DUAL CONNECT BY LEVEL <= n" (or ROWNUM, or
// <) into a recursive row generator with a LEVEL column.
func rewriteConnectBy(ts []tok) []tok {
	for i := 0; i+5 < len(ts); i++ {
		if !(ts[i].is("FROM") && ts[i+1].is("DUAL") && ts[i+2].is("CONNECT") && ts[i+3].is("BY")) {
			continue
		}
		if !(ts[i+4].is("LEVEL") || ts[i+4].is("ROWNUM")) {
			continue
		}
		op := ts[i+5].text
		if op != "<=" && op != "<" {
			continue
		}
		end := i + 6
		depth := 0
		for ; end < len(ts); end++ {
			t := ts[end]
			if t.punct("(") {
				depth++
			} else if t.punct(")") {
				if depth == 0 {
					break
				}
				depth--
			} else if depth == 0 && (t.is("ORDER") || t.is("GROUP") || t.is("UNION") || t.is("MINUS") || t.is("INTERSECT") || t.is("FETCH") || t.is("OFFSET")) {
				break
			}
		}
		bound := ts[i+6 : end]
		gen := tokenizeSolid("FROM (WITH RECURSIVE ora_level(level) AS (SELECT 1 UNION ALL SELECT level + 1 FROM ora_level WHERE level + 1 " + op + " (")
		gen = append(gen, bound...)
		gen = append(gen, tokenizeSolid(")) SELECT level AS level, level AS rownum FROM ora_level)")...)
		out := append([]tok(nil), ts[:i]...)
		out = append(out, gen...)
		return append(out, ts[end:]...)
	}
	return ts
}

func tokenizeSolid(s string) []tok { return solid(tokenize(s)) }

// rewriteDivision replaces a / b with ora_div(a, b): Oracle divides
// exactly and raises ORA-01476 on zero, where SQLite truncates integers and
// yields NULL.
func rewriteDivision(ts []tok) []tok {
	for i := 0; i < len(ts); i++ {
		if !ts[i].punct("/") || i == 0 {
			continue
		}
		ls := operandStart(ts, i-1)
		re := operandEnd(ts, i+1)
		if ls < 0 || re < 0 {
			continue
		}
		// extend the left operand over a multiplicative chain
		for ls >= 2 && (ts[ls-1].punct("*") || ts[ls-1].punct("/")) {
			s := operandStart(ts, ls-2)
			if s < 0 {
				break
			}
			ls = s
		}
		ts = callInfix(ts, "ora_div", ls, i, re)
		i = ls
	}
	return ts
}

// callInfix rewrites the infix operator at ts[op], whose operands are
// ts[ls:op] and ts[op+1:re+1], as the call fn(left, right).
func callInfix(ts []tok, fn string, ls, op, re int) []tok {
	out := make([]tok, 0, len(ts)+3)
	out = append(out, ts[:ls]...)
	out = append(out, tok{kind: tkWord, text: fn}, tok{kind: tkPunct, text: "("})
	out = append(out, ts[ls:op]...)
	out = append(out, tok{kind: tkPunct, text: ","})
	out = append(out, ts[op+1:re+1]...)
	out = append(out, tok{kind: tkPunct, text: ")"})
	return append(out, ts[re+1:]...)
}

// rewriteConcat replaces a || b with ora_concat(a, b): Oracle treats NULL
// as the empty string in a concatenation, SQLite makes it NULL.
func rewriteConcat(ts []tok) []tok {
	for i := 0; i < len(ts); i++ {
		if !ts[i].punct("||") || i == 0 {
			continue
		}
		ls := operandStart(ts, i-1)
		re := operandEnd(ts, i+1)
		if ls < 0 || re < 0 {
			continue
		}
		for ls >= 2 && ts[ls-1].punct("*") {
			s := operandStart(ts, ls-2)
			if s < 0 {
				break
			}
			ls = s
		}
		for re+2 < len(ts) && ts[re+1].punct("*") {
			e := operandEnd(ts, re+2)
			if e < 0 {
				break
			}
			re = e
		}
		ts = callInfix(ts, "ora_concat", ls, i, re)
		i = ls
	}
	return ts
}

// rewriteRownum turns a top-level "WHERE ROWNUM <= n" (or < n, = 1)
// conjunct into LIMIT n at the end of the statement. (Oracle numbers rows
// before ORDER BY; LIMIT applies after it.)
func rewriteRownum(ts []tok) []tok {
	depth := 0
	for i := 0; i+2 < len(ts); i++ {
		switch {
		case ts[i].punct("("):
			depth++
			continue
		case ts[i].punct(")"):
			depth--
			continue
		}
		if depth != 0 || !ts[i].is("ROWNUM") || i == 0 || !(ts[i-1].is("WHERE") || ts[i-1].is("AND")) {
			continue
		}
		op := ts[i+1].text
		if op != "<=" && op != "<" && op != "=" {
			continue
		}
		e := operandEnd(ts, i+2)
		if e < 0 {
			continue
		}
		bound := append([]tok(nil), ts[i+2:e+1]...)
		if op == "<" {
			bound = append(append([]tok{{kind: tkPunct, text: "("}}, bound...), tokenizeSolid(") - 1")...)
		}
		if op == "=" && !(len(bound) == 1 && bound[0].text == "1") {
			continue
		}
		var out []tok
		from, to := i, e+1 // drop "ROWNUM op n" and one AND around it
		switch {
		case ts[i-1].is("AND"):
			from = i - 1
		case to < len(ts) && ts[to].is("AND"):
			to++
		default: // WHERE ROWNUM <= n alone: drop the WHERE too
			from = i - 1
		}
		out = append(out, ts[:from]...)
		out = append(out, ts[to:]...)
		out = append(out, tok{kind: tkWord, text: "LIMIT"})
		return append(out, bound...)
	}
	return ts
}

// operandStart returns where the operand ending at i starts, or -1.
func operandStart(ts []tok, i int) int {
	if i < 0 {
		return -1
	}
	t := ts[i]
	switch {
	case t.punct(")"):
		o := opening(ts, i)
		if o < 0 {
			return -1
		}
		if o > 0 && ts[o-1].kind == tkWord && !isKeyword(ts[o-1].text) {
			o--
			for o >= 2 && ts[o-1].punct(".") && ts[o-2].kind == tkWord {
				o -= 2
			}
		}
		return o
	case t.kind == tkWord || t.kind == tkQuoted:
		if isKeyword(t.text) {
			return -1
		}
		for i >= 2 && ts[i-1].punct(".") && (ts[i-2].kind == tkWord || ts[i-2].kind == tkQuoted) {
			i -= 2
		}
		return i
	case t.kind == tkNumber || t.kind == tkParam || t.kind == tkString:
		return i
	}
	return -1
}

// operandEnd returns where the operand starting at i ends, or -1.
func operandEnd(ts []tok, i int) int {
	if i >= len(ts) {
		return -1
	}
	if ts[i].punct("-") || ts[i].punct("+") {
		e := operandEnd(ts, i+1)
		return e
	}
	t := ts[i]
	switch {
	case t.punct("("):
		return closing(ts, i)
	case t.kind == tkWord || t.kind == tkQuoted:
		if isKeyword(t.text) {
			return -1
		}
		for i+2 < len(ts) && ts[i+1].punct(".") && (ts[i+2].kind == tkWord || ts[i+2].kind == tkQuoted) {
			i += 2
		}
		if i+1 < len(ts) && ts[i+1].punct("(") {
			return closing(ts, i+1)
		}
		return i
	case t.kind == tkNumber || t.kind == tkParam || t.kind == tkString:
		return i
	}
	return -1
}

var keywords = map[string]bool{"SELECT": true, "FROM": true, "WHERE": true, "AND": true, "OR": true, "NOT": true,
	"CASE": true, "WHEN": true, "THEN": true, "ELSE": true, "END": true, "AS": true, "IN": true, "IS": true,
	"BY": true, "ON": true, "SET": true, "VALUES": true, "LIKE": true, "BETWEEN": true}

func isKeyword(s string) bool { return keywords[strings.ToUpper(s)] }
