package tdspeer

import (
	"strings"
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
		closer := byte('"')
		if t.text[0] == '[' {
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

// lex splits T-SQL text into tokens. ok is false for an unterminated
// string, identifier or comment; the last token then holds the rest.
func lex(s string) (toks []tok, ok bool) {
	ok = true
	for i := 0; i < len(s); {
		c := s[i]
		j := i + 1
		k := tPunct
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v':
			for j < len(s) && strings.IndexByte(" \t\r\n\f\v", s[j]) >= 0 {
				j++
			}
			k = tSpace
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for j < len(s) && s[j] != '\n' {
				j++
			}
			k = tComment
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			depth := 0
			j = i
			for j < len(s) {
				if strings.HasPrefix(s[j:], "/*") {
					depth++
					j += 2
				} else if strings.HasPrefix(s[j:], "*/") {
					depth--
					j += 2
					if depth == 0 {
						break
					}
				} else {
					j++
				}
			}
			if depth != 0 {
				ok = false
			}
			k = tComment
		case c == '\'' || (c == 'N' || c == 'n') && i+1 < len(s) && s[i+1] == '\'':
			k = tString
			if c != '\'' {
				k = tNString
				j++
			}
			j, ok = closeQuote(s, j, '\'', ok)
		case c == '[':
			k = tIdent
			j, ok = closeQuote(s, j, ']', ok)
		case c == '"':
			k = tIdent
			j, ok = closeQuote(s, j, '"', ok)
		case c == '@':
			for j < len(s) && (isWordByte(s[j]) || s[j] == '@') {
				j++
			}
			k = tVar
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			k = tNumber
			if c == '0' && j < len(s) && (s[j] == 'x' || s[j] == 'X') {
				j++
				for j < len(s) && strings.IndexByte("0123456789abcdefABCDEF", s[j]) >= 0 {
					j++
				}
				break
			}
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				e := j + 1
				if e < len(s) && (s[e] == '+' || s[e] == '-') {
					e++
				}
				if e < len(s) && s[e] >= '0' && s[e] <= '9' {
					j = e
					for j < len(s) && s[j] >= '0' && s[j] <= '9' {
						j++
					}
				}
			}
		case isWordByte(c) || c >= 0x80:
			for j < len(s) && (isWordByte(s[j]) || s[j] >= 0x80 || s[j] == '$') {
				j++
			}
			k = tWord
		default:
			for _, op := range []string{"<>", "!=", ">=", "<=", "!<", "!>", "||", "::"} {
				if strings.HasPrefix(s[i:], op) {
					j = i + len(op)
					break
				}
			}
		}
		toks = append(toks, tok{kind: k, text: s[i:j]})
		i = j
	}
	return toks, ok
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

func isWordByte(c byte) bool {
	return c == '_' || c == '#' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
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

// splitStatements splits a batch at the semicolons outside parentheses;
// empty statements are dropped.
func splitStatements(toks []tok) [][]tok {
	var out [][]tok
	depth, start := 0, 0
	flush := func(end int) {
		if len(solidToks(toks[start:end])) > 0 {
			out = append(out, toks[start:end])
		}
		start = end + 1
	}
	for i, t := range toks {
		switch {
		case t.punct("("):
			depth++
		case t.punct(")"):
			depth--
		case t.punct(";") && depth <= 0:
			flush(i)
		}
	}
	flush(len(toks))
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
