package dbsqlpeer

import (
	"strconv"
	"strings"
)

// The peer runs Spark SQL text on SQLite. It does not parse SQL; it tokenizes
// the statement just enough to (1) rewrite the few Spark spellings whose
// SQLite meaning differs (CAST targets, STRING columns in DDL, DATE/TIMESTAMP
// typed literals, USING <format> in CREATE TABLE) and (2) read the Spark type
// of top-level SELECT items whose type SQLite cannot declare (CASTs and
// literals).

type tokenKind int

const (
	tokSpace  tokenKind = iota // whitespace and comments
	tokWord                    // unquoted identifier or keyword
	tokQuoted                  // "ident", `ident` or [ident]
	tokString                  // 'literal'
	tokNumber                  // numeric literal
	tokParam                   // ?, ?NNN, :name, @name, $name
	tokPunct                   // any other single character
)

type token struct {
	kind tokenKind
	text string
}

func (t token) is(word string) bool {
	return t.kind == tokWord && strings.EqualFold(t.text, word)
}

func (t token) punct(c byte) bool {
	return t.kind == tokPunct && len(t.text) == 1 && t.text[0] == c
}

// tokenize splits SQL text into tokens whose texts concatenate back to the
// input exactly. An unterminated quote or comment runs to the end of input;
// SQLite then reports the syntax error.
func tokenize(s string) []token {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		j := i + 1
		kind := tokPunct
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			kind = tokSpace
			for j < len(s) && strings.IndexByte(" \t\n\r\f", s[j]) >= 0 {
				j++
			}
		case c == '-' && strings.HasPrefix(s[i:], "--"):
			kind = tokSpace
			if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
				j = i + k + 1
			} else {
				j = len(s)
			}
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			kind = tokSpace
			if k := strings.Index(s[i+2:], "*/"); k >= 0 {
				j = i + 2 + k + 2
			} else {
				j = len(s)
			}
		case c == '\'':
			kind = tokString
			j = scanQuoted(s, i, '\'')
		case c == '"' || c == '`':
			kind = tokQuoted
			j = scanQuoted(s, i, c)
		case c == '[':
			kind = tokQuoted
			if k := strings.IndexByte(s[i:], ']'); k >= 0 {
				j = i + k + 1
			} else {
				j = len(s)
			}
		case isDigit(c) || (c == '.' && i+1 < len(s) && isDigit(s[i+1])):
			kind = tokNumber
			j = scanNumber(s, i)
		case c == '?':
			kind = tokParam
			for j < len(s) && isDigit(s[j]) {
				j++
			}
		case (c == ':' || c == '@' || c == '$') && i+1 < len(s) && isWordStart(s[i+1]):
			kind = tokParam
			for j < len(s) && isWordPart(s[j]) {
				j++
			}
		case isWordStart(c):
			kind = tokWord
			for j < len(s) && isWordPart(s[j]) {
				j++
			}
		}
		toks = append(toks, token{kind: kind, text: s[i:j]})
		i = j
	}
	return toks
}

func scanQuoted(s string, i int, q byte) int {
	for j := i + 1; j < len(s); j++ {
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q { // doubled quote escapes itself
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

func scanNumber(s string, i int) int {
	j := i
	for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
		j++
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			j = k
			for j < len(s) && isDigit(s[j]) {
				j++
			}
		}
	}
	return j
}

func isDigit(c byte) bool     { return c >= '0' && c <= '9' }
func isWordStart(c byte) bool { return c == '_' || c >= 0x80 || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isWordPart(c byte) bool  { return isWordStart(c) || isDigit(c) }

// statement is a tokenized statement: the SQLite text to run and the Spark
// types of the leading top-level SELECT items that the text fixes (nil where
// it does not).
type statement struct {
	sqlite string
	items  []*sparkType
}

// prepareStatement rewrites Spark SQL text for SQLite and reads the item types.
func prepareStatement(sql string) statement {
	toks := rewriteFunctions(tokenize(sql))
	toks = rewriteTypedLiterals(toks)
	items, casts := selectItemTypes(toks)
	toks = rewriteCasts(stripCasts(toks, casts))
	if first := firstWord(toks); first.is("CREATE") || first.is("ALTER") {
		toks = rewriteDDL(toks)
	}
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.text)
	}
	return statement{sqlite: b.String(), items: items}
}

func firstWord(toks []token) token {
	for _, t := range toks {
		if t.kind != tokSpace {
			return t
		}
	}
	return token{}
}

// next returns the index of the first non-space token at or after i, or len(toks).
func next(toks []token, i int) int {
	for i < len(toks) && toks[i].kind == tokSpace {
		i++
	}
	return i
}

// rewriteTypedLiterals turns DATE '…' and TIMESTAMP '…' into CAST('…' AS DATE)
// (resp. TIMESTAMP), which the CAST rewrite and the item typing then handle.
func rewriteTypedLiterals(toks []token) []token {
	out := make([]token, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.is("DATE") || t.is("TIMESTAMP") {
			if j := next(toks, i+1); j < len(toks) && toks[j].kind == tokString {
				out = append(out,
					token{tokWord, "CAST"}, token{tokPunct, "("}, toks[j],
					token{tokSpace, " "}, token{tokWord, "AS"}, token{tokSpace, " "},
					token{tokWord, strings.ToUpper(t.text)}, token{tokPunct, ")"})
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
func castAt(toks []token, i int) (as, end int, ok bool) {
	open := next(toks, i+1)
	if open >= len(toks) || !toks[open].punct('(') {
		return 0, 0, false
	}
	depth, as := 0, -1
	for j := open; j < len(toks); j++ {
		switch {
		case toks[j].punct('('):
			depth++
		case toks[j].punct(')'):
			depth--
			if depth == 0 {
				return as, j, as > 0
			}
		case depth == 1 && toks[j].is("AS"):
			as = j
		}
	}
	return 0, 0, false
}

func tokensText(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.text)
	}
	return b.String()
}

// rewriteCasts replaces every CAST target type SQLite would misread (for
// example CAST('2024-01-02' AS DATE) has NUMERIC affinity and yields 2024)
// by the SQLite type with the matching storage.
func rewriteCasts(toks []token) []token {
	out := make([]token, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		if toks[i].is("CAST") {
			if as, end, ok := castAt(toks, i); ok {
				if st, known := parseSparkType(tokensText(toks[as+1 : end])); known {
					inner := rewriteCasts(toks[i+1 : as+1]) // nested CASTs in the operand
					out = append(out, toks[i])
					out = append(out, inner...)
					out = append(out, token{tokSpace, " "}, token{tokWord, st.sqliteType()}, toks[end])
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
func rewriteDDL(toks []token) []token {
	out := make([]token, 0, len(toks))
	depth := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.punct('('):
			depth++
		case t.punct(')'):
			depth--
		case t.is("STRING"):
			if j := next(toks, i+1); j >= len(toks) || !toks[j].punct('(') {
				t = token{tokWord, "TEXT"}
			}
		case depth == 0 && t.is("USING"):
			if j := next(toks, i+1); j < len(toks) && toks[j].kind == tokWord {
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
func stripCasts(toks []token, casts []int) []token {
	if len(casts) == 0 {
		return toks
	}
	out := make([]token, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		if len(casts) > 0 && casts[0] == i {
			casts = casts[1:]
			as, end, _ := castAt(toks, i)
			open := next(toks, i+1)
			operand := toks[open+1 : as]
			for len(operand) > 0 && operand[len(operand)-1].kind == tokSpace {
				operand = operand[:len(operand)-1]
			}
			out = append(out, token{tokPunct, "("})
			out = append(out, operand...)
			out = append(out, token{tokPunct, ")"})
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
func selectItemTypes(toks []token) (items []*sparkType, casts []int) {
	depth, start := 0, -1
	for i, t := range toks {
		if t.punct('(') {
			depth++
		} else if t.punct(')') {
			depth--
		} else if depth == 0 && t.is("SELECT") {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil, nil
	}
	var item []token
	itemStart := -1
	flush := func() bool {
		typ, isCast, star := itemType(item)
		if star {
			return false
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
		if t.kind == tokSpace {
			continue
		}
		if depth == 0 && len(item) == 0 && len(items) == 0 && (t.is("DISTINCT") || t.is("ALL")) {
			continue
		}
		if depth == 0 && (t.punct(';') || (t.kind == tokWord && clauseEnd[strings.ToUpper(t.text)])) {
			break
		}
		switch {
		case t.punct('('):
			depth++
		case t.punct(')'):
			depth--
		case depth == 0 && t.punct(','):
			if !flush() {
				return items, casts
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
	return items, casts
}

// itemType types one SELECT item given without space tokens. isCast
// reports an item that is a CAST to a known type; star a * or t.* item.
func itemType(item []token) (typ *sparkType, isCast, star bool) {
	for _, t := range item {
		if t.punct('*') && len(item) <= 3 { // *, t.*
			return nil, false, true
		}
	}
	// Strip an alias: "expr AS name" or "expr name".
	if n := len(item); n >= 2 && (item[n-1].kind == tokWord || item[n-1].kind == tokQuoted) {
		if item[n-2].is("AS") {
			item = item[:n-2]
		} else if item[n-2].kind == tokPunct && item[n-2].text == ")" ||
			item[n-2].kind == tokNumber || item[n-2].kind == tokString || item[n-2].is("NULL") ||
			item[n-2].is("TRUE") || item[n-2].is("FALSE") {
			item = item[:n-1]
		}
	}
	if len(item) == 0 {
		return nil, false, false
	}
	if item[0].is("CAST") {
		as, end, ok := castAt(item, 0)
		if ok && end == len(item)-1 {
			if st, known := parseSparkType(tokensText(item[as+1 : end])); known {
				return &st, true, false
			}
		}
		return nil, false, false
	}
	neg := false
	if len(item) == 2 && item[0].punct('-') {
		neg, item = true, item[1:]
	}
	if len(item) != 1 {
		return nil, false, false
	}
	t := item[0]
	switch {
	case t.kind == tokNumber:
		return numberLiteralType(t.text, neg), false, false
	case t.kind == tokString && !neg:
		return &typeString, false, false
	case (t.is("TRUE") || t.is("FALSE")) && !neg:
		return &typeBoolean, false, false
	case t.is("NULL") && !neg:
		return &typeNull, false, false
	}
	return nil, false, false
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
