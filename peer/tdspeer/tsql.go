package tdspeer

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// stmtKind is what a statement of a batch does.
type stmtKind int

const (
	sQuery      stmtKind = iota // returns a result set
	sExec                       // INSERT, UPDATE, DELETE: a row count
	sDDL                        // CREATE, DROP, ALTER: no count
	sBegin                      // BEGIN TRAN
	sCommit                     // COMMIT
	sRollback                   // ROLLBACK
	sWaitfor                    // WAITFOR DELAY
	sNoop                       // SET options, USE of the current database
	sPrint                      // PRINT
	sInsertBulk                 // INSERT BULK: a bulk load message follows
)

// stmt is one statement of a batch, translated for SQLite.
type stmt struct {
	text  string // as the client sent it
	kind  stmtKind
	sql   string // the SQLite statement
	cmd   uint16 // CurCmd for its DONE
	items []selItem
	delay time.Duration
	msg   string // PRINT's message
	// nocount is the SET NOCOUNT value a SET NOCOUNT statement sets (nil: none).
	nocount *bool
	// isolation is the level a SET TRANSACTION ISOLATION LEVEL sets (0: none).
	isolation byte
	// fmtonly is the SET FMTONLY value a SET FMTONLY statement sets (nil: none).
	fmtonly *bool
	params  []string // the @names the statement uses, lower case
	// bulkCols are the columns an INSERT BULK declares, in the order of
	// the bulk load's values; sql inserts one row of them (@b1 …).
	bulkCols []column
}

// selItem is one item of a query's top-level select list.
type selItem struct {
	name  string   // column name SQL Server gives it ("" for an unnamed expression)
	star  bool     // * or t.*
	cast  *sqlType // a top-level CAST(x AS T) or CONVERT(T, x)
	param string   // the item is exactly this @parameter
	// number is set when the CAST's operand is a numeric literal, which
	// SQLite gets as a string so that no digit is lost.
	number bool
}

// env is what the translation needs from the session.
type env struct {
	spid      int
	user      string
	database  string
	tranDepth int
	rowcount  int64
	params    map[string]sqlType // declared @parameters, lower case names
	// sessions is the SQLite subquery sys.dm_exec_sessions becomes.
	sessions func() string
}

var funcRenames = map[string]string{
	"isnull":            "ifnull",
	"len":               "tdspeer_len",
	"datalength":        "tdspeer_datalength",
	"getdate":           "tdspeer_getdate",
	"current_timestamp": "tdspeer_getdate",
	"sysdatetime":       "tdspeer_sysdatetime",
	"getutcdate":        "tdspeer_getutcdate",
	"sysutcdatetime":    "tdspeer_sysutcdatetime",
	"sysdatetimeoffset": "tdspeer_sysdatetimeoffset",
	"newid":             "tdspeer_newid",
	"charindex":         "tdspeer_charindex",
	"space":             "tdspeer_space",
	"replicate":         "tdspeer_replicate",
}

// translate turns one T-SQL statement into a statement the peer runs.
func translate(toks []tok, e *env) (*stmt, *Error) {
	st := &stmt{text: strings.TrimSpace(join(toks)), kind: sExec}
	in := solidToks(toks)
	if len(in) == 0 {
		st.kind = sNoop
		return st, nil
	}
	first := in[0]
	switch {
	case first.is("BEGIN") && len(in) >= 2 && (in[1].is("TRAN") || in[1].is("TRANSACTION")):
		st.kind, st.cmd = sBegin, cmdBegin
		return st, nil
	case first.is("COMMIT"):
		st.kind, st.cmd = sCommit, cmdEnd
		return st, nil
	case first.is("ROLLBACK"):
		st.kind, st.cmd = sRollback, cmdEnd
		return st, nil
	case first.is("WAITFOR"):
		if len(in) != 3 || !in[1].is("DELAY") || in[2].kind != tString {
			return nil, errSyntax(tokText(in, 1))
		}
		d, ok := parseDelay(in[2].str())
		if !ok {
			return nil, &Error{Number: 148, State: 1, Class: 15, Message: "Incorrect time syntax in time string '" + in[2].str() + "' used with WAITFOR."}
		}
		st.kind, st.delay = sWaitfor, d
		return st, nil
	case first.is("SET"):
		st.kind = sNoop
		if len(in) == 3 && in[1].is("NOCOUNT") {
			v := in[2].is("ON")
			st.nocount = &v
		}
		if len(in) == 3 && in[1].is("FMTONLY") {
			v := in[2].is("ON")
			st.fmtonly = &v
		}
		if len(in) >= 5 && in[1].is("TRANSACTION") && in[2].is("ISOLATION") && in[3].is("LEVEL") {
			level := strings.ToUpper(joinSpaced(in[4:]))
			st.isolation = map[string]byte{"READ UNCOMMITTED": 1, "READ COMMITTED": 2, "REPEATABLE READ": 3,
				"SERIALIZABLE": 4, "SNAPSHOT": 5}[level]
			if st.isolation == 0 {
				return nil, errSyntax(in[4].text)
			}
		}
		return st, nil
	case first.is("INSERT") && len(in) > 1 && in[1].is("BULK"):
		return translateInsertBulk(in, e, st)
	case first.is("USE"):
		if len(in) != 2 || !strings.EqualFold(in[1].name(), e.database) {
			return nil, &Error{Number: 911, State: 1, Class: 16, Message: fmt.Sprintf("Database '%s' does not exist. Make sure that the name is entered correctly.", tokText(in, 1))}
		}
		st.kind = sNoop
		return st, nil
	case first.is("PRINT"):
		if len(in) == 2 && (in[1].kind == tString || in[1].kind == tNString) {
			st.kind, st.msg = sPrint, in[1].str()
			return st, nil
		}
	case first.is("SAVE") || first.is("EXEC") || first.is("EXECUTE") || first.is("DECLARE") ||
		first.is("MERGE") || first.is("BULK") || first.is("KILL") || first.is("IF") || first.is("WHILE"):
		return nil, errUnsupported(strings.ToUpper(first.text))
	}

	out, err := rewrite(in, e, st)
	if err != nil {
		return nil, err
	}
	lead := out[0]
	switch {
	case lead.is("SELECT") || lead.is("VALUES"):
		st.kind, st.cmd = sQuery, cmdSelect
	case lead.is("WITH"):
		st.kind, st.cmd = sQuery, cmdSelect
		for _, t := range topLevel(out) {
			if t.is("INSERT") || t.is("UPDATE") || t.is("DELETE") {
				st.kind, st.cmd = sExec, cmdInsert
			}
		}
	case lead.is("INSERT"):
		st.cmd = cmdInsert
	case lead.is("UPDATE"):
		st.cmd = cmdUpdate
	case lead.is("DELETE"):
		st.cmd = cmdDelete
	case lead.is("CREATE") || lead.is("DROP") || lead.is("ALTER") || lead.is("TRUNCATE"):
		st.kind, st.cmd = sDDL, cmdDDL
		if lead.is("CREATE") && len(out) > 2 && out[1].is("TABLE") {
			out = rewriteCreateTable(out)
		}
		if lead.is("TRUNCATE") && len(out) >= 3 && out[1].is("TABLE") {
			out = append([]tok{{tWord, "DELETE"}, {tWord, "FROM"}}, out[2:]...)
		}
	default:
		return nil, errSyntax(first.text)
	}
	if st.kind == sQuery {
		out = analyzeSelect(out, st)
	}
	st.sql = joinSpaced(out)
	return st, nil
}

func mustLex(s string) []tok {
	toks, _ := lex(s)
	return toks
}

func tokText(in []tok, i int) string {
	if i < len(in) {
		return in[i].text
	}
	return ""
}

// parseDelay reads WAITFOR DELAY's 'hh:mm[:ss[.mmm]]'.
func parseDelay(s string) (time.Duration, bool) {
	for _, l := range []string{"15:04:05.999", "15:04:05", "15:04"} {
		if t, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
			return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
				time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond()), true
		}
	}
	return 0, false
}

// topLevel is the tokens of toks outside parentheses.
func topLevel(toks []tok) []tok {
	var out []tok
	depth := 0
	for _, t := range toks {
		switch {
		case t.punct("("):
			depth++
		case t.punct(")"):
			depth--
		case depth == 0:
			out = append(out, t)
		}
	}
	return out
}

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// rewrite applies the token-level translations from T-SQL to SQLite.
func rewrite(in []tok, e *env, st *stmt) ([]tok, *Error) {
	out := make([]tok, 0, len(in))
	var limit []tok
	seen := map[string]bool{}
	for i := 0; i < len(in); i++ {
		t := in[i]
		var prev tok
		if len(out) > 0 {
			prev = out[len(out)-1]
		}
		next := func(k int) tok {
			if i+k < len(in) {
				return in[i+k]
			}
			return tok{}
		}
		switch t.kind {
		case tNString:
			out = append(out, tok{tString, t.text[1:]})
			continue
		case tString:
			out = append(out, tok{tString, quoteString(codePage(t.str()))})
			continue
		case tVar:
			name := strings.ToLower(t.text)
			switch name {
			case "@@spid":
				out = append(out, tok{tNumber, strconv.Itoa(e.spid)})
			case "@@version":
				out = append(out, tok{tString, quoteString(versionString)})
			case "@@servername":
				out = append(out, tok{tString, quoteString(serverName)})
			case "@@trancount":
				out = append(out, tok{tNumber, strconv.Itoa(e.tranDepth)})
			case "@@rowcount":
				out = append(out, tok{tNumber, strconv.FormatInt(e.rowcount, 10)})
			case "@@identity":
				out = append(out, tok{tWord, "last_insert_rowid()"})
			case "@@language":
				out = append(out, tok{tString, "'us_english'"})
			default:
				if _, ok := e.params[name]; !ok || strings.HasPrefix(name, "@@") {
					return nil, &Error{Number: 137, State: 2, Class: 15, Message: fmt.Sprintf("Must declare the scalar variable \"%s\".", t.text)}
				}
				if !seen[name] {
					seen[name] = true
					st.params = append(st.params, name)
				}
				out = append(out, tok{tVar, name})
			}
			continue
		case tWord:
			low := strings.ToLower(t.text)
			if prev.punct(".") {
				out = append(out, t)
				continue
			}
			switch {
			case low == "true" || low == "false":
				return nil, errInvalidColumn(t.text)
			case strings.HasPrefix(low, "#"):
				out = append(out, tok{tIdent, `"` + t.text + `"`})
				continue
			case low == "sys" && next(1).punct(".") && next(2).kind == tWord && strings.EqualFold(next(2).text, "dm_exec_sessions") && e.sessions != nil:
				out = append(out, tok{tPunct, "("})
				out = append(out, solidToks(mustLex(e.sessions()))...)
				out = append(out, tok{tPunct, ")"})
				i += 2
				continue
			case low == "dbo" && next(1).punct("."):
				i++ // dbo.x is x
				continue
			case low == "option" && next(1).punct("(") && matchParen(in, i+1) == len(in)-1:
				// query hints (MAXRECURSION …): SQLite needs none
				i = len(in) - 1
				continue
			case low == "current_user" || low == "system_user" || low == "session_user":
				out = append(out, tok{tString, quoteString(e.user)})
				continue
			case next(1).punct("(") && (low == "db_name" || low == "schema_name" || low == "suser_name" || low == "suser_sname" || low == "user_name" || low == "original_login"):
				if !next(2).punct(")") {
					break
				}
				v := e.user
				switch low {
				case "db_name":
					v = e.database
				case "schema_name":
					v = "dbo"
				}
				out = append(out, tok{tString, quoteString(v)})
				i += 2
				continue
			case low == "convert" && next(1).punct("("):
				// CONVERT(type, expr[, style]) is CAST(expr AS type)
				end := matchParen(in, i+1)
				if end < 0 {
					return nil, errSyntax("(")
				}
				args := splitArgs(in[i+2 : end])
				if len(args) < 2 {
					return nil, errSyntax(")")
				}
				inner := append([]tok{{tWord, "CAST"}, {tPunct, "("}}, args[1]...)
				inner = append(inner, tok{tWord, "AS"})
				inner = append(inner, args[0]...)
				inner = append(inner, tok{tPunct, ")"})
				rest := append(inner, in[end+1:]...)
				in = append(in[:i:i], rest...)
				i--
				continue
			case low == "top" && (prev.is("SELECT") || prev.is("DISTINCT") || prev.is("ALL")):
				var j int
				if next(1).punct("(") {
					end := matchParen(in, i+1)
					if end < 0 {
						return nil, errSyntax("(")
					}
					limit = in[i+2 : end]
					j = end + 1
				} else if next(1).kind == tNumber || next(1).kind == tVar {
					limit = []tok{next(1)}
					j = i + 2
				} else {
					return nil, errSyntax(next(1).text)
				}
				if j < len(in) && in[j].is("PERCENT") || j < len(in) && in[j].is("WITH") {
					return nil, errUnsupported("TOP … " + strings.ToUpper(in[j].text))
				}
				sub, err := rewrite(limit, e, st)
				if err != nil {
					return nil, err
				}
				limit = sub
				i = j - 1
				continue
			case low == "offset" && len(limit) == 0:
				// OFFSET n ROWS [FETCH {NEXT|FIRST} m {ROW|ROWS} ONLY]
				j := i + 1
				for j < len(in) && !in[j].is("ROWS") && !in[j].is("ROW") {
					j++
				}
				if j == len(in) {
					break
				}
				off, err := rewrite(in[i+1:j], e, st)
				if err != nil {
					return nil, err
				}
				fetch := []tok{{tNumber, "-1"}}
				k := j + 1
				if k+1 < len(in) && in[k].is("FETCH") && (in[k+1].is("NEXT") || in[k+1].is("FIRST")) {
					m := k + 2
					for m < len(in) && !in[m].is("ROWS") && !in[m].is("ROW") {
						m++
					}
					if m+1 >= len(in) || !in[m+1].is("ONLY") {
						return nil, errSyntax(tokText(in, m))
					}
					if fetch, err = rewrite(in[k+2:m], e, st); err != nil {
						return nil, err
					}
					k = m + 2
				}
				out = append(out, tok{tWord, "LIMIT"})
				out = append(out, fetch...)
				out = append(out, tok{tWord, "OFFSET"})
				out = append(out, off...)
				i = k - 1
				continue
			}
			if r, ok := funcRenames[low]; ok && (next(1).punct("(") || low == "current_timestamp") {
				out = append(out, tok{tWord, r})
				if low == "current_timestamp" {
					out = append(out, tok{tPunct, "("}, tok{tPunct, ")"})
				}
				continue
			}
		case tIdent:
			if strings.EqualFold(t.name(), "dbo") && next(1).punct(".") && !prev.punct(".") {
				i++
				continue
			}
			out = append(out, tok{tIdent, `"` + strings.ReplaceAll(t.name(), `"`, `""`) + `"`})
			continue
		case tNumber:
			if strings.HasPrefix(t.text, "0x") || strings.HasPrefix(t.text, "0X") {
				out = append(out, tok{tString, "x'" + t.text[2:] + strings.Repeat("0", len(t.text)%2) + "'"})
				continue
			}
		case tPunct:
			switch {
			case t.text == "(" && next(1).is("MAX") && next(2).punct(")"):
				out = append(out, t, tok{tNumber, strconv.Itoa(maxStored)})
				i++
				continue
			case (t.text == "/" || t.text == "%") && i+1 < len(in):
				// the divisor goes through tdspeer_divisor, which fails
				// on zero as SQL Server does (SQLite gives NULL)
				end := operandEnd(in, i+1)
				sub, err := rewrite(in[i+1:end], e, st)
				if err != nil {
					return nil, err
				}
				out = append(out, t, tok{tWord, "tdspeer_divisor"}, tok{tPunct, "("})
				out = append(out, sub...)
				out = append(out, tok{tPunct, ")"})
				i = end - 1
				continue
			case t.text == "+" && isStringTok(prev) && i+1 < len(in) && (in[i+1].kind == tString || in[i+1].kind == tNString):
				out = append(out, tok{tPunct, "||"})
				continue
			}
		}
		out = append(out, t)
	}
	if len(limit) > 0 {
		out = append(out, tok{tWord, "LIMIT"})
		out = append(out, limit...)
	}
	return out, nil
}

func isStringTok(t tok) bool { return t.kind == tString || t.kind == tNString }

// operandEnd returns the end (exclusive) of the operand starting at in[i]:
// a unary sign and a literal, variable, (qualified) name, function call or
// parenthesised expression.
func operandEnd(in []tok, i int) int {
	for i < len(in) && (in[i].punct("-") || in[i].punct("+") || in[i].punct("~")) {
		i++
	}
	if i >= len(in) {
		return len(in)
	}
	if in[i].punct("(") {
		if end := matchParen(in, i); end > 0 {
			return end + 1
		}
		return len(in)
	}
	j := i + 1
	if in[i].kind == tWord || in[i].kind == tIdent {
		for j+1 < len(in) && in[j].punct(".") && (in[j+1].kind == tWord || in[j+1].kind == tIdent) {
			j += 2
		}
		if j < len(in) && in[j].punct("(") {
			if end := matchParen(in, j); end > 0 {
				return end + 1
			}
			return len(in)
		}
	}
	return j
}

// splitArgs splits toks at the commas outside parentheses.
func splitArgs(toks []tok) [][]tok {
	var out [][]tok
	depth, start := 0, 0
	for i, t := range toks {
		switch {
		case t.punct("("):
			depth++
		case t.punct(")"):
			depth--
		case t.punct(",") && depth == 0:
			out = append(out, toks[start:i])
			start = i + 1
		}
	}
	return append(out, toks[start:])
}

// joinSpaced joins solid tokens with single spaces.
func joinSpaced(toks []tok) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return b.String()
}

var selectEnd = map[string]bool{"from": true, "where": true, "group": true, "order": true, "union": true,
	"into": true, "having": true, "except": true, "intersect": true, "limit": true, "window": true}

// analyzeSelect finds the top-level select list of a query, records what
// each item says about its column, and replaces each top-level CAST, which
// the peer performs itself, by its operand.
func analyzeSelect(toks []tok, st *stmt) []tok {
	// the first SELECT outside parentheses
	start, depth := -1, 0
	for i, t := range toks {
		switch {
		case t.punct("("):
			depth++
		case t.punct(")"):
			depth--
		case depth == 0 && t.is("SELECT"):
			start = i + 1
		}
		if start >= 0 {
			break
		}
	}
	if start < 0 {
		return toks
	}
	for start < len(toks) && (toks[start].is("DISTINCT") || toks[start].is("ALL")) {
		start++
	}
	end := start
	depth = 0
	for ; end < len(toks); end++ {
		t := toks[end]
		if t.punct("(") {
			depth++
		} else if t.punct(")") {
			depth--
		} else if depth == 0 && t.kind == tWord && selectEnd[strings.ToLower(t.text)] {
			break
		}
	}
	var items [][]tok
	var list []tok
	for _, item := range splitArgs(toks[start:end]) {
		si, repl := analyzeItem(item)
		st.items = append(st.items, si)
		items = append(items, repl)
	}
	for i, it := range items {
		if i > 0 {
			list = append(list, tok{tPunct, ","})
		}
		list = append(list, it...)
	}
	out := append([]tok{}, toks[:start]...)
	out = append(out, list...)
	return append(out, toks[end:]...)
}

// analyzeItem reads one select item; it returns what it says about its
// column and the item for SQLite.
func analyzeItem(item []tok) (selItem, []tok) {
	var si selItem
	if len(item) == 0 {
		return si, item
	}
	expr := item
	alias := ""
	n := len(item)
	switch {
	case n >= 3 && item[n-2].is("AS") && (item[n-1].kind == tWord || item[n-1].kind == tIdent || item[n-1].kind == tString):
		alias, expr = aliasName(item[n-1]), item[:n-2]
	case n >= 2 && (item[n-1].kind == tWord || item[n-1].kind == tIdent) && endsOperand(item[n-2]) && !isKeyword(item[n-1]):
		alias, expr = aliasName(item[n-1]), item[:n-1]
	case n >= 3 && item[1].punct("=") && (item[0].kind == tWord || item[0].kind == tIdent):
		alias, expr = aliasName(item[0]), item[2:]
	}
	si.name = alias
	switch {
	case len(expr) == 1 && expr[0].punct("*"):
		si.star = true
	case len(expr) == 3 && expr[2].punct("*") && expr[1].punct("."):
		si.star = true
	case len(expr) == 1 && expr[0].kind == tVar:
		si.param = expr[0].text
	case len(expr) == 1 && (expr[0].kind == tWord || expr[0].kind == tIdent):
		if alias == "" {
			si.name = aliasName(expr[0])
		}
	case len(expr) >= 3 && expr[len(expr)-2].punct(".") && (expr[len(expr)-1].kind == tWord || expr[len(expr)-1].kind == tIdent) && alias == "":
		si.name = aliasName(expr[len(expr)-1])
	case len(expr) >= 6 && expr[0].is("CAST") && expr[1].punct("(") && matchParen(expr, 1) == len(expr)-1:
		inner := expr[2 : len(expr)-1]
		as := -1
		depth := 0
		for i, t := range inner {
			if t.punct("(") {
				depth++
			} else if t.punct(")") {
				depth--
			} else if depth == 0 && t.is("AS") {
				as = i
			}
		}
		if as > 0 {
			if typ, ok := parseType(joinSpaced(inner[as+1:])); ok {
				si.cast = &typ
				operand := inner[:as]
				if len(operand) == 1 && operand[0].kind == tNumber && !strings.HasPrefix(operand[0].text, "x'") {
					operand = []tok{{tString, quoteString(operand[0].text)}} // keep every digit
					si.number = true
				}
				if len(operand) == 2 && operand[0].punct("-") && operand[1].kind == tNumber {
					operand = []tok{{tString, quoteString("-" + operand[1].text)}}
					si.number = true
				}
				repl := append([]tok{{tPunct, "("}}, operand...)
				repl = append(repl, tok{tPunct, ")"})
				if alias != "" {
					repl = append(repl, tok{tWord, "AS"}, tok{tIdent, `"` + strings.ReplaceAll(alias, `"`, `""`) + `"`})
				}
				return si, repl
			}
		}
	}
	return si, item
}

func aliasName(t tok) string {
	switch t.kind {
	case tString:
		return t.str()
	case tIdent:
		return t.name()
	}
	return t.text
}

func endsOperand(t tok) bool {
	return t.kind == tNumber || t.kind == tString || t.kind == tIdent || t.kind == tVar || t.punct(")") ||
		t.kind == tWord && !isKeyword(t)
}

var keywords = map[string]bool{"and": true, "or": true, "not": true, "is": true, "null": true, "else": true,
	"end": true, "then": true, "when": true, "case": true, "like": true, "in": true, "between": true,
	"distinct": true, "as": true, "collate": true, "escape": true, "exists": true}

func isKeyword(t tok) bool { return t.kind == tWord && keywords[strings.ToLower(t.text)] }

// rewriteCreateTable gives SQLite each column's declared T-SQL type in a
// form it keeps (see sqlType.sqliteDecl) and turns INT IDENTITY PRIMARY
// KEY into SQLite's INTEGER PRIMARY KEY AUTOINCREMENT.
func rewriteCreateTable(toks []tok) []tok {
	open := -1
	for i, t := range toks {
		if t.punct("(") {
			open = i
			break
		}
	}
	if open < 0 {
		return toks
	}
	if toks[2].kind == tIdent && strings.HasPrefix(toks[2].text, `"#`) {
		toks = append([]tok{toks[0], {tWord, "TEMP"}}, toks[1:]...)
		open++
	}
	closeAt := matchParen(toks, open)
	if closeAt < 0 {
		return toks
	}
	out := append([]tok{}, toks[:open+1]...)
	for k, seg := range splitArgs(toks[open+1 : closeAt]) {
		if k > 0 {
			out = append(out, tok{tPunct, ","})
		}
		out = append(out, rewriteColumnDef(seg)...)
	}
	return append(out, toks[closeAt:]...)
}

func rewriteColumnDef(seg []tok) []tok {
	if len(seg) < 2 || seg[0].kind != tWord && seg[0].kind != tIdent {
		return seg
	}
	switch strings.ToLower(seg[0].text) {
	case "constraint", "primary", "unique", "foreign", "check", "index":
		return seg
	}
	// the type: words, then an optional parenthesised argument list
	j := 1
	for j < len(seg) && seg[j].kind == tWord && !isConstraintWord(seg[j]) {
		j++
	}
	if j < len(seg) && seg[j].punct("(") {
		if end := matchParen(seg, j); end > 0 {
			j = end + 1
		}
	}
	typ, ok := parseType(joinSpaced(seg[1:j]))
	if !ok {
		return seg
	}
	rest := seg[j:]
	identity, pk := false, false
	var kept []tok
	for i := 0; i < len(rest); i++ {
		if rest[i].is("IDENTITY") {
			identity = true
			if i+1 < len(rest) && rest[i+1].punct("(") {
				if end := matchParen(rest, i+1); end > 0 {
					i = end
				}
			}
			continue
		}
		if rest[i].is("PRIMARY") {
			pk = true
		}
		if rest[i].is("CLUSTERED") || rest[i].is("NONCLUSTERED") {
			continue
		}
		kept = append(kept, rest[i])
	}
	out := []tok{seg[0]}
	if identity && pk && (typ.kind == kInt || typ.kind == kBigInt || typ.kind == kSmallInt) {
		out = append(out, tok{tWord, "INTEGER"})
		for i, t := range kept {
			out = append(out, t)
			if t.is("KEY") && i > 0 && kept[i-1].is("PRIMARY") {
				out = append(out, tok{tWord, "AUTOINCREMENT"})
			}
		}
		return out
	}
	out = append(out, tok{tWord, typ.sqliteDecl()})
	return append(out, kept...)
}

func isConstraintWord(t tok) bool {
	switch strings.ToLower(t.text) {
	case "not", "null", "primary", "unique", "default", "check", "references", "identity", "collate",
		"constraint", "clustered", "nonclustered":
		return true
	}
	return false
}

// versionString is what @@VERSION says.
const versionString = "Microsoft SQL Server 2022 (RTM-CU15) (KB5041321) - 16.0.4219.2 (X64) \n\ttdspeer: a local TDS peer running on SQLite"
