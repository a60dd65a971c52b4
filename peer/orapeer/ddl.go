package orapeer

// DDL: CREATE TABLE types checked and rewritten for SQLite, Oracle-only
// clauses dropped, sequences.

import (
	"strconv"
	"strings"
)

// sequenceDDL is CREATE SEQUENCE name [START WITH n] [INCREMENT BY m] or
// DROP SEQUENCE name.
type sequenceDDL struct {
	name        string
	drop        bool
	start, incr int64
}

func prepareSequence(p *prepared, ts []tok) (*prepared, *oraError) {
	p.kind = kindSequence
	if ts[2].kind != tkWord {
		return nil, errf(2277, "invalid sequence name")
	}
	p.seq = sequenceDDL{name: strings.ToUpper(ts[2].text), drop: ts[0].is("DROP"), start: 1, incr: 1}
	startSet := false
	for i := 3; i < len(ts); i++ {
		num := func() (int64, bool) {
			j := i + 1
			if j < len(ts) && ts[j].is("BY") || j < len(ts) && ts[j].is("WITH") {
				j++
			}
			neg := false
			if j < len(ts) && ts[j].punct("-") {
				neg = true
				j++
			}
			if j >= len(ts) || ts[j].kind != tkNumber {
				return 0, false
			}
			n, err := strconv.ParseInt(ts[j].text, 10, 64)
			if err != nil {
				return 0, false
			}
			i = j
			if neg {
				n = -n
			}
			return n, true
		}
		switch {
		case ts[i].is("START"):
			n, ok := num()
			if !ok {
				return nil, errf(933, "SQL command not properly ended")
			}
			p.seq.start, startSet = n, true
		case ts[i].is("INCREMENT"):
			n, ok := num()
			if !ok || n == 0 {
				return nil, errf(4002, "INCREMENT must be a non-zero integer")
			}
			p.seq.incr = n
		case ts[i].is("MINVALUE") || ts[i].is("MAXVALUE") || ts[i].is("CACHE"):
			_, _ = num()
		}
	}
	if !startSet && p.seq.incr < 0 {
		p.seq.start = -1
	}
	return p, nil
}

// rewriteDDL checks column types (Oracle has no BOOLEAN before 23ai) and
// drops Oracle-only clauses. It returns nil tokens for a statement the peer
// accepts and ignores.
func rewriteDDL(ts []tok) ([]tok, *oraError) {
	u := func(i int) string {
		if i < len(ts) {
			return strings.ToUpper(ts[i].text)
		}
		return ""
	}
	switch u(0) {
	case "GRANT", "REVOKE", "COMMENT":
		return nil, nil
	case "TRUNCATE":
		if u(1) == "TABLE" && len(ts) >= 3 {
			return append(tokenizeSolid("DELETE FROM"), ts[2:]...), nil
		}
		return nil, errf(900, "invalid SQL statement")
	case "DROP":
		// DROP TABLE t [CASCADE CONSTRAINTS] [PURGE]
		for len(ts) > 0 && (ts[len(ts)-1].is("PURGE") || ts[len(ts)-1].is("CONSTRAINTS") || ts[len(ts)-1].is("CASCADE")) {
			ts = ts[:len(ts)-1]
		}
		return ts, nil
	case "CREATE":
		if u(1) == "OR" && u(2) == "REPLACE" {
			return nil, errf(900, "invalid SQL statement (CREATE OR REPLACE is not emulated)")
		}
		if u(1) == "TABLE" || (u(1) == "GLOBAL" && u(2) == "TEMPORARY") {
			return rewriteCreateTable(ts)
		}
	}
	return ts, nil
}

func rewriteCreateTable(ts []tok) ([]tok, *oraError) {
	open := -1
	for i, t := range ts {
		if t.punct("(") {
			open = i
			break
		}
		if t.is("AS") { // CREATE TABLE t AS SELECT
			return ts, nil
		}
	}
	if open < 0 {
		return ts, nil
	}
	end := closing(ts, open)
	if end < 0 {
		return nil, errf(907, "missing right parenthesis")
	}
	var out []tok
	out = append(out, ts[:open+1]...)
	// each column definition: name type [(n[,m] [CHAR|BYTE])] [WITH [LOCAL] TIME ZONE] rest
	start := open + 1
	for start < end {
		stop := start
		depth := 0
		for ; stop < end; stop++ {
			if ts[stop].punct("(") {
				depth++
			} else if ts[stop].punct(")") {
				depth--
			} else if depth == 0 && ts[stop].punct(",") {
				break
			}
		}
		def := ts[start:stop]
		if len(def) >= 2 && !isConstraint(def[0]) {
			nd, e := columnDef(def)
			if e != nil {
				return nil, e
			}
			def = nd
		}
		out = append(out, def...)
		if stop < end {
			out = append(out, ts[stop])
		}
		start = stop + 1
	}
	out = append(out, ts[end:]...)
	return out, nil
}

func isConstraint(t tok) bool {
	switch strings.ToUpper(t.text) {
	case "CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK":
		return t.kind == tkWord
	}
	return false
}

// columnDef rewrites one column definition's type to one SQLite keeps as
// the declared type, and refuses types Oracle lacks.
func columnDef(def []tok) ([]tok, *oraError) {
	name := def[0]
	i := 1
	var typeWords []string
	for i < len(def) && def[i].kind == tkWord && !isColumnKeyword(def[i].text) {
		typeWords = append(typeWords, strings.ToUpper(def[i].text))
		i++
		if i < len(def) && def[i].punct("(") {
			c := closing(def, i)
			if c < 0 {
				return nil, errf(907, "missing right parenthesis")
			}
			var nums []string
			for _, t := range def[i+1 : c] {
				if t.kind == tkNumber {
					nums = append(nums, t.text)
				} else if t.punct("*") {
					nums = append(nums, "38")
				}
			}
			base := typeWords[len(typeWords)-1]
			if base != "TIMESTAMP" && len(nums) > 0 {
				typeWords[len(typeWords)-1] = base + "(" + strings.Join(nums, ",") + ")"
			}
			i = c + 1
		}
	}
	decl := strings.Join(typeWords, " ")
	if _, ok := parseDeclType(decl); !ok {
		return nil, errf(902, "invalid datatype")
	}
	rest := def[i:]
	// NUMBER GENERATED [ALWAYS|BY DEFAULT [ON NULL]] AS IDENTITY -> INTEGER
	// PRIMARY KEY needs the column to be INTEGER in SQLite to autoincrement.
	var out []tok
	identity := false
	for j := 0; j < len(rest); j++ {
		if rest[j].is("GENERATED") {
			k := j + 1
			for k < len(rest) && !rest[k].is("IDENTITY") {
				k++
			}
			if k < len(rest) {
				identity = true
				j = k
				continue
			}
		}
		out = append(out, rest[j])
	}
	typ := []tok{{kind: tkWord, text: strings.ReplaceAll(decl, " ", "_")}}
	if strings.Contains(decl, " ") || strings.Contains(decl, "(") {
		typ = tokenizeSolid(decl)
	}
	if identity {
		typ = []tok{{kind: tkWord, text: "INTEGER"}}
		if !containsWord(out, "PRIMARY") {
			out = append(tokenizeSolid("PRIMARY KEY AUTOINCREMENT"), out...)
		}
	}
	res := append([]tok{name}, typ...)
	return append(res, out...), nil
}

func containsWord(ts []tok, w string) bool {
	for _, t := range ts {
		if t.is(w) {
			return true
		}
	}
	return false
}

func isColumnKeyword(s string) bool {
	switch strings.ToUpper(s) {
	case "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "CHECK", "REFERENCES", "CONSTRAINT", "GENERATED", "COLLATE", "ENABLE", "DISABLE":
		return true
	}
	return false
}
