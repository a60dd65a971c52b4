package tdspeer

import (
	"strings"

	"github.com/vapsql/vap/peer/sqltext"
)

// tokKind classifies a T-SQL token.
type tokKind int

const (
	tSpace   tokKind = iota // whitespace
	tComment                // -- … or /* … */
	tWord                   // keyword or bare identifier
	tIdent                  // [quoted] or "quoted" identifier
	tString                 // '…'
	tNString                // N'…'
	tNumber                 // 12, 1.5, 1e3, 0x1F
	tVar                    // @name, @@name
	tPunct                  // operators and punctuation
)

// tok is one token of T-SQL text.
type tok struct {
	kind tokKind
	text string
}

// is reports whether t is the word w (any case).
func (t tok) is(w string) bool { return t.kind == tWord && strings.EqualFold(t.text, w) }

// punct reports whether t is the punctuation p.
func (t tok) punct(p string) bool { return t.kind == tPunct && t.text == p }

// solid reports whether t is not whitespace or a comment.
func (t tok) solid() bool { return t.kind != tSpace && t.kind != tComment }

// str is the value of a string literal.
func (t tok) str() string {
	s := t.text
	if t.kind == tNString {
		s = s[1:]
	}
	if len(s) >= 2 && s[len(s)-1] == '\'' {
		s = s[1 : len(s)-1]
	} else {
		s = s[1:] // unterminated
	}
	return strings.ReplaceAll(s, "''", "'")
}

// name is the identifier a word or quoted identifier names.
func (t tok) name() string {
	if t.kind == tIdent {
		closer := t.text[0]
		if closer == '[' {
			closer = ']'
		}
		s := t.text[1:]
		if len(s) > 0 && s[len(s)-1] == closer {
			s = s[:len(s)-1]
		}
		return strings.ReplaceAll(s, string([]byte{closer, closer}), string(closer))
	}
	return t.text
}

// lex splits T-SQL text into tokens: the shared tokenizer's
// (peer/sqltext), joined where T-SQL spells one token with what it splits:
// N'…' literals, @@names, #temp and ##temp names, 0x binary literals and
// two-character operators. ok is false for an unterminated string,
// identifier or comment. Not handled: ]] inside [identifiers] and nested
// /* comments */.
func lex(s string) (toks []tok, ok bool) {
	ok = true
	base := sqltext.Tokenize(s)
	next := func(i int) sqltext.Token {
		if i+1 < len(base) {
			return base[i+1]
		}
		return sqltext.Token{Kind: sqltext.Space}
	}
	for i := 0; i < len(base); i++ {
		t := base[i]
		k := tPunct
		text := t.Text
		switch t.Kind {
		case sqltext.Space:
			k = tSpace
			if strings.HasPrefix(text, "--") {
				k = tComment
			} else if strings.HasPrefix(text, "/*") {
				k = tComment
				if len(text) < 4 || !strings.HasSuffix(text, "*/") {
					ok = false
				}
			}
		case sqltext.Word:
			k = tWord
			if n := next(i); (text == "N" || text == "n") && n.Kind == sqltext.String {
				k, text = tNString, text+n.Text
				ok = ok && terminated(n.Text, '\'')
				i++
			}
		case sqltext.Quoted:
			k = tIdent
			closer := text[0]
			if closer == '[' {
				closer = ']'
			}
			if closer == ']' {
				ok = ok && len(text) >= 2 && strings.HasSuffix(text, "]")
			} else {
				ok = ok && terminated(text, closer)
			}
		case sqltext.String:
			k = tString
			ok = ok && terminated(text, '\'')
		case sqltext.Number:
			k = tNumber
			if n := next(i); text == "0" && n.Kind == sqltext.Word && isHexWord(n.Text) {
				text += n.Text
				i++
			}
		case sqltext.Param:
			k = tWord // ?, :name and $name mean nothing in T-SQL
			if text[0] == '@' {
				k = tVar
			} else if text == "?" {
				k = tPunct
			}
		case sqltext.Punct:
			n := next(i)
			switch {
			case text == "@" && n.Kind == sqltext.Param && n.Text[0] == '@':
				k, text = tVar, "@"+n.Text
				i++
			case text == "#":
				for i+1 < len(base) && (base[i+1].IsPunct('#') || base[i+1].Kind == sqltext.Word) {
					text += base[i+1].Text
					i++
					if base[i].Kind == sqltext.Word {
						k = tWord
						break
					}
				}
			case n.Kind == sqltext.Punct && isOperator(text+n.Text):
				text += n.Text
				i++
			}
		}
		toks = append(toks, tok{kind: k, text: text})
	}
	return toks, ok
}

// terminated reports whether the quoted text (a literal or identifier,
// with its opening quote) has its closing quote.
func terminated(text string, q byte) bool {
	if len(text) < 2 {
		return false
	}
	j, ok := closeQuote(text, 1, q, true)
	return ok && j == len(text)
}

func isHexWord(w string) bool {
	if w[0] != 'x' && w[0] != 'X' {
		return false
	}
	for i := 1; i < len(w); i++ {
		if strings.IndexByte("0123456789abcdefABCDEF", w[i]) < 0 {
			return false
		}
	}
	return true
}

func isOperator(s string) bool {
	switch s {
	case "<>", "!=", ">=", "<=", "!<", "!>", "||", "::":
		return true
	}
	return false
}

func closeQuote(s string, j int, q byte, ok bool) (int, bool) {
	for j < len(s) {
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j += 2
				continue
			}
			return j + 1, ok
		}
		j++
	}
	return j, false
}

// join is the text of toks.
func join(toks []tok) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.text)
	}
	return b.String()
}

// solidToks is toks without whitespace and comments.
func solidToks(toks []tok) []tok {
	out := make([]tok, 0, len(toks))
	for _, t := range toks {
		if t.solid() {
			out = append(out, t)
		}
	}
	return out
}

// splitStatements splits a batch at the semicolons outside parentheses,
// and before a SET that starts a statement without one (go-mssqldb's bulk
// copy sends "select * from t SET FMTONLY OFF"); a SET after UPDATE is
// UPDATE's. Empty statements are dropped.
func splitStatements(toks []tok) [][]tok {
	var out [][]tok
	depth, start := 0, 0
	update := false // the statement so far has UPDATE at the top level
	flush := func(end, next int) {
		if len(solidToks(toks[start:end])) > 0 {
			out = append(out, toks[start:end])
		}
		start, update = next, false
	}
	for i, t := range toks {
		switch {
		case t.punct("("):
			depth++
		case t.punct(")"):
			depth--
		case t.punct(";") && depth <= 0:
			flush(i, i+1)
		case depth <= 0 && t.is("UPDATE"):
			update = true
		case depth <= 0 && t.is("SET") && !update && len(solidToks(toks[start:i])) > 0:
			flush(i, i)
		}
	}
	flush(len(toks), len(toks))
	return out
}

// matchParen returns the index of the parenthesis closing the one at
// toks[open], or -1.
func matchParen(toks []tok, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch {
		case toks[i].punct("("):
			depth++
		case toks[i].punct(")"):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
