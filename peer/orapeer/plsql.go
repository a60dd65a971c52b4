package orapeer

import "strings"

// Anonymous PL/SQL blocks: the peer runs blocks made of simple statements
// separated by semicolons: SELECT ... INTO :binds ..., DBMS_SESSION.SLEEP /
// DBMS_LOCK.SLEEP, NULL, and SQL statements. DECLARE sections, control flow
// and EXCEPTION handlers are not emulated (ORA-06550).

func preparePLSQL(p *prepared, ts []tok, si sessionInfo) (*prepared, *oraError) {
	if !ts[0].is("BEGIN") {
		return nil, errf(6550, "line 1, column 1:\nPLS-00103: DECLARE sections are not emulated by the peer")
	}
	// BEGIN ... END [;]
	end := len(ts)
	if end > 0 && ts[end-1].punct(";") {
		end--
	}
	if end < 2 || !ts[end-1].is("END") {
		return nil, errf(6550, "line 1, column 1:\nPLS-00103: Encountered the symbol \"end-of-file\"")
	}
	body := ts[1 : end-1]
	// bind names in order of first appearance (PL/SQL binds by name)
	seen := map[string]bool{}
	for _, t := range body {
		if t.kind == tkParam {
			n := strings.ToUpper(t.text[1:])
			if !seen[n] {
				seen[n] = true
				p.params = append(p.params, n)
			}
		}
	}
	for len(body) > 0 {
		stop := 0
		depth := 0
		for ; stop < len(body); stop++ {
			if body[stop].punct("(") {
				depth++
			} else if body[stop].punct(")") {
				depth--
			} else if depth == 0 && body[stop].punct(";") {
				break
			}
		}
		st := body[:stop]
		if stop < len(body) {
			body = body[stop+1:]
		} else {
			body = nil
		}
		if len(st) == 0 {
			continue
		}
		step, e := plsqlStatement(st, si)
		if e != nil {
			return nil, e
		}
		if step != nil {
			p.plsql = append(p.plsql, *step)
		}
	}
	return p, nil
}

func plsqlStatement(st []tok, si sessionInfo) (*plsqlStep, *oraError) {
	if len(st) == 1 && st[0].is("NULL") {
		return nil, nil
	}
	// DBMS_SESSION.SLEEP(x) / DBMS_LOCK.SLEEP(x)
	if len(st) >= 5 && (st[0].is("DBMS_SESSION") || st[0].is("DBMS_LOCK")) && st[1].punct(".") && st[2].is("SLEEP") && st[3].punct("(") && st[len(st)-1].punct(")") {
		q, e := prepare("SELECT "+text(spaced(st[4:len(st)-1]))+" FROM DUAL", si)
		if e != nil {
			return nil, e
		}
		return &plsqlStep{sleep: q}, nil
	}
	if st[0].is("SELECT") {
		// SELECT items INTO :a, :b FROM ...
		into := lastTopLevel(st, 0, len(st), "INTO")
		if into < 0 {
			return nil, errf(6550, "line 1, column 7:\nPLS-00428: an INTO clause is expected in this SELECT statement")
		}
		from := into + 1
		var names []string
		for from < len(st) && !st[from].is("FROM") {
			if st[from].kind == tkParam {
				names = append(names, strings.ToUpper(st[from].text[1:]))
			} else if !st[from].punct(",") {
				return nil, errf(6550, "line 1, column 1:\nPLS-00049: bad bind variable")
			}
			from++
		}
		q := append(append([]tok(nil), st[:into]...), st[from:]...)
		qp, e := prepare(text(spaced(q)), si)
		if e != nil {
			return nil, e
		}
		return &plsqlStep{query: qp, into: names}, nil
	}
	if st[0].is("EXECUTE") && len(st) >= 3 && st[1].is("IMMEDIATE") && st[2].kind == tkString {
		ep, e := prepare(unquote(st[2].text), si)
		if e != nil {
			return nil, e
		}
		return &plsqlStep{exec: ep}, nil
	}
	ep, e := prepare(text(spaced(st)), si)
	if e != nil {
		return nil, errf(6550, "line 1, column 1:\nPLS-00103: statement not emulated by the peer")
	}
	if ep.kind == kindPLSQL || ep.kind == kindQuery {
		return nil, errf(6550, "line 1, column 1:\nPLS-00103: statement not emulated by the peer")
	}
	return &plsqlStep{exec: ep}, nil
}

// spaced joins solid tokens with spaces.
func spaced(ts []tok) []tok {
	out := make([]tok, 0, 2*len(ts))
	for i, t := range ts {
		if i > 0 {
			out = append(out, tok{kind: tkSpace, text: " "})
		}
		out = append(out, t)
	}
	return out
}
