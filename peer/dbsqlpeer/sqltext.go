package dbsqlpeer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vapsql/vap/peer/sqltext"
)

// The peer runs Spark SQL text on SQLite. It does not parse SQL; it tokenizes
// the statement just enough to (1) rewrite the few Spark spellings whose
// SQLite meaning differs (CAST targets, STRING columns in DDL, DATE/TIMESTAMP
// typed literals, USING <format> in CREATE TABLE) and (2) read the Spark type
// of top-level SELECT items whose type SQLite cannot declare (CASTs and
// literals).

// tk returns the token of kind k and text s.
func tk(k sqltext.Kind, s string) sqltext.Token { return sqltext.Token{Kind: k, Text: s} }

// statement is a tokenized statement: the SQLite text to run and the Spark
// types of the leading top-level SELECT items that the text fixes (nil where
// it does not).
type statement struct {
	sqlite string
	items  []*sparkType
	err    error // a SELECT item the peer cannot type (a constructor of mixed types)
}

// prepareStatement rewrites Spark SQL text for SQLite and reads the item types.
func prepareStatement(sql, user string) statement {
	toks := rewriteFunctions(sqltext.Tokenize(sql), user)
	toks = rewriteTypedLiterals(toks)
	items, casts, err := selectItemTypes(toks)
	toks = rewriteCasts(rewriteConstructors(stripCasts(toks, casts)))
	if first := sqltext.FirstSolid(toks); first.Is("CREATE") || first.Is("ALTER") {
		toks = rewriteDDL(toks)
	}
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.Text)
	}
	return statement{sqlite: b.String(), items: items, err: err}
}

// rewriteTypedLiterals turns DATE '…' and TIMESTAMP '…' into CAST('…' AS DATE)
// (resp. TIMESTAMP), which the CAST rewrite and the item typing then handle.
func rewriteTypedLiterals(toks []sqltext.Token) []sqltext.Token {
	out := make([]sqltext.Token, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Is("DATE") || t.Is("TIMESTAMP") {
			if j := sqltext.NextSolid(toks, i+1); j < len(toks) && toks[j].Kind == sqltext.String {
				out = append(out,
					tk(sqltext.Word, "CAST"), tk(sqltext.Punct, "("), toks[j],
					tk(sqltext.Space, " "), tk(sqltext.Word, "AS"), tk(sqltext.Space, " "),
					tk(sqltext.Word, strings.ToUpper(t.Text)), tk(sqltext.Punct, ")"))
				i = j
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// castAt reports, for toks[i] == CAST, the index of the AS token and of the
// closing parenthesis of CAST(expr AS type).
func castAt(toks []sqltext.Token, i int) (as, end int, ok bool) {
	open := sqltext.NextSolid(toks, i+1)
	if open >= len(toks) || !toks[open].IsPunct('(') {
		return 0, 0, false
	}
	depth, as := 0, -1
	for j := open; j < len(toks); j++ {
		switch {
		case toks[j].IsPunct('('):
			depth++
		case toks[j].IsPunct(')'):
			depth--
			if depth == 0 {
				return as, j, as > 0
			}
		case depth == 1 && toks[j].Is("AS"):
			as = j
		}
	}
	return 0, 0, false
}

// rewriteCasts replaces every CAST target type SQLite would misread (for
// example CAST('2024-01-02' AS DATE) has NUMERIC affinity and yields 2024)
// by the SQLite type with the matching storage.
func rewriteCasts(toks []sqltext.Token) []sqltext.Token {
	out := make([]sqltext.Token, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		if toks[i].Is("CAST") {
			if as, end, ok := castAt(toks, i); ok {
				if st, known := parseSparkType(sqltext.Join(toks[as+1 : end])); known {
					inner := rewriteCasts(toks[i+1 : as+1]) // nested CASTs in the operand
					out = append(out, toks[i])
					out = append(out, inner...)
					out = append(out, tk(sqltext.Space, " "), tk(sqltext.Word, st.sqliteType()), toks[end])
					i = end
					continue
				}
			}
		}
		out = append(out, toks[i])
	}
	return out
}

// rewriteDDL spells the column type STRING as TEXT (SQLite gives STRING
// numeric affinity, which would turn '007' into 7) and drops a top-level
// USING <format> clause (Delta, Parquet), which SQLite does not know.
func rewriteDDL(toks []sqltext.Token) []sqltext.Token {
	out := make([]sqltext.Token, 0, len(toks))
	depth := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.IsPunct('('):
			depth++
		case t.IsPunct(')'):
			depth--
		case t.Is("STRING"):
			if j := sqltext.NextSolid(toks, i+1); j >= len(toks) || !toks[j].IsPunct('(') {
				t = tk(sqltext.Word, "TEXT")
			}
		case depth == 0 && t.Is("USING"):
			if j := sqltext.NextSolid(toks, i+1); j < len(toks) && toks[j].Kind == sqltext.Word {
				i = j
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// clauseEnd lists the words that end a SELECT list at depth 0.
var clauseEnd = map[string]bool{
	"FROM": true, "WHERE": true, "GROUP": true, "HAVING": true, "ORDER": true, "LIMIT": true,
	"UNION": true, "INTERSECT": true, "EXCEPT": true, "WINDOW": true, "OFFSET": true,
}

// stripCasts removes the CAST of the top-level SELECT items at the given
// token indexes, keeping the parenthesized operand: the peer converts those
// items' values itself, strictly, as Spark's ANSI CAST does (SQLite's CAST
// turns 'abc' into 0).
func stripCasts(toks []sqltext.Token, casts []int) []sqltext.Token {
	if len(casts) == 0 {
		return toks
	}
	out := make([]sqltext.Token, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		if len(casts) > 0 && casts[0] == i {
			casts = casts[1:]
			as, end, _ := castAt(toks, i)
			open := sqltext.NextSolid(toks, i+1)
			operand := toks[open+1 : as]
			for len(operand) > 0 && operand[len(operand)-1].Kind == sqltext.Space {
				operand = operand[:len(operand)-1]
			}
			out = append(out, tk(sqltext.Punct, "("))
			out = append(out, operand...)
			out = append(out, tk(sqltext.Punct, ")"))
			i = end
			continue
		}
		out = append(out, toks[i])
	}
	return out
}

// selectItemTypes reads the Spark types that the text of the first top-level
// SELECT list fixes: CAST(… AS t), DATE/TIMESTAMP literals, TRUE/FALSE,
// NULL, numbers and strings, each optionally aliased. It stops at the first
// star, after which positions are unknown. casts are the token indexes of
// the items that are a CAST to a known type.
func selectItemTypes(toks []sqltext.Token) (items []*sparkType, casts []int, err error) {
	depth, start := 0, -1
	for i, t := range toks {
		if t.IsPunct('(') {
			depth++
		} else if t.IsPunct(')') {
			depth--
		} else if depth == 0 && t.Is("SELECT") {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil, nil, nil
	}
	var item []sqltext.Token
	itemStart := -1
	flush := func() bool {
		typ, isCast, star, terr := itemType(item)
		if star {
			return false
		}
		if terr != nil && err == nil {
			err = fmt.Errorf("SELECT item %d: %w", len(items)+1, terr)
		}
		items = append(items, typ)
		if isCast {
			casts = append(casts, itemStart)
		}
		item, itemStart = item[:0], -1
		return true
	}
	depth = 0
	for i := start; i < len(toks); i++ {
		t := toks[i]
		if t.Kind == sqltext.Space {
			continue
		}
		if depth == 0 && len(item) == 0 && len(items) == 0 && (t.Is("DISTINCT") || t.Is("ALL")) {
			continue
		}
		if depth == 0 && (t.IsPunct(';') || (t.Kind == sqltext.Word && clauseEnd[strings.ToUpper(t.Text)])) {
			break
		}
		switch {
		case t.IsPunct('('):
			depth++
		case t.IsPunct(')'):
			depth--
		case depth == 0 && t.IsPunct(','):
			if !flush() {
				return items, casts, err
			}
			continue
		}
		if itemStart < 0 {
			itemStart = i
		}
		item = append(item, t)
	}
	if len(item) > 0 {
		flush()
	}
	return items, casts, err
}

// itemType types one SELECT item given without space tokens. isCast
// reports an item that is a CAST to a known type; star a * or t.* item; err
// a constructor the peer cannot type.
func itemType(item []sqltext.Token) (typ *sparkType, isCast, star bool, err error) {
	for _, t := range item {
		if t.IsPunct('*') && len(item) <= 3 { // *, t.*
			return nil, false, true, nil
		}
	}
	// Strip an alias: "expr AS name" or "expr name".
	if n := len(item); n >= 2 && (item[n-1].Kind == sqltext.Word || item[n-1].Kind == sqltext.Quoted) {
		if item[n-2].Is("AS") {
			item = item[:n-2]
		} else if item[n-2].Kind == sqltext.Punct && item[n-2].Text == ")" ||
			item[n-2].Kind == sqltext.Number || item[n-2].Kind == sqltext.String || item[n-2].Is("NULL") ||
			item[n-2].Is("TRUE") || item[n-2].Is("FALSE") {
			item = item[:n-1]
		}
	}
	if len(item) == 0 {
		return nil, false, false, nil
	}
	if isConstructor(item) {
		t, err := constructorType(item)
		if err != nil {
			return nil, false, false, err
		}
		return &t, false, false, nil
	}
	if item[0].Is("CAST") {
		as, end, ok := castAt(item, 0)
		if ok && end == len(item)-1 {
			if st, known := parseSparkType(sqltext.Join(item[as+1 : end])); known {
				return &st, true, false, nil
			}
		}
		return nil, false, false, nil
	}
	neg := false
	if len(item) == 2 && item[0].IsPunct('-') {
		neg, item = true, item[1:]
	}
	if len(item) != 1 {
		return nil, false, false, nil
	}
	t := item[0]
	switch {
	case t.Kind == sqltext.Number:
		return numberLiteralType(t.Text, neg), false, false, nil
	case t.Kind == sqltext.String && !neg:
		return &typeString, false, false, nil
	case (t.Is("TRUE") || t.Is("FALSE")) && !neg:
		return &typeBoolean, false, false, nil
	case t.Is("NULL") && !neg:
		return &typeNull, false, false, nil
	}
	return nil, false, false, nil
}

// numberLiteralType applies Spark's literal typing: an integer is INT when it
// fits, else BIGINT; a decimal point makes DECIMAL(p,s); an exponent DOUBLE.
func numberLiteralType(text string, neg bool) *sparkType {
	if strings.ContainsAny(text, "eE") {
		return &typeDouble
	}
	if intPart, frac, ok := strings.Cut(text, "."); ok {
		digits := len(strings.TrimLeft(intPart, "0")) + len(frac)
		p := max(digits, len(frac), 1)
		if p > maxDecimalPrecision {
			return &typeDouble
		}
		return &sparkType{id: typeDecimalID, precision: p, scale: len(frac)}
	}
	if neg {
		text = "-" + text
	}
	v, err := strconv.ParseInt(text, 10, 64)
	switch {
	case err != nil:
		return &sparkType{id: typeDecimalID, precision: min(len(text), maxDecimalPrecision), scale: 0}
	case v >= -1<<31 && v < 1<<31:
		return &typeInt
	default:
		return &typeBigint
	}
}
