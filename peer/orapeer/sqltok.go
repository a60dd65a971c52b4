package orapeer

import "strings"

// A small SQL tokenizer, shaped like the one the peers share (kind + text,
// texts concatenate back to the input), with Oracle's bind syntax (:1,
// :name) and identifier characters ($, #).

type tokKind int

const (
	tkSpace  tokKind = iota // whitespace and comments
	tkWord                  // unquoted identifier or keyword
	tkQuoted                // "identifier"
	tkString                // 'literal'
	tkNumber                // numeric literal
	tkParam                 // :1, :name
	tkPunct                 // any other character (|| is one token)
)

type tok struct {
	kind tokKind
	text string
}

func (t tok) is(word string) bool { return t.kind == tkWord && strings.EqualFold(t.text, word) }

func (t tok) punct(p string) bool { return t.kind == tkPunct && t.text == p }

func tokenize(s string) []tok {
	var out []tok
	for i := 0; i < len(s); {
		c := s[i]
		j := i + 1
		k := tkPunct
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			k = tkSpace
			for j < len(s) && strings.IndexByte(" \t\n\r\f", s[j]) >= 0 {
				j++
			}
		case strings.HasPrefix(s[i:], "--"):
			k = tkSpace
			if n := strings.IndexByte(s[i:], '\n'); n >= 0 {
				j = i + n + 1
			} else {
				j = len(s)
			}
		case strings.HasPrefix(s[i:], "/*"):
			k = tkSpace
			if n := strings.Index(s[i+2:], "*/"); n >= 0 {
				j = i + 2 + n + 2
			} else {
				j = len(s)
			}
		case c == '\'' || c == '"':
			k = tkString
			if c == '"' {
				k = tkQuoted
			}
			j = len(s)
			for m := i + 1; m < len(s); m++ {
				if s[m] == c {
					if m+1 < len(s) && s[m+1] == c {
						m++
						continue
					}
					j = m + 1
					break
				}
			}
		case isDigit(c) || (c == '.' && i+1 < len(s) && isDigit(s[i+1])):
			k = tkNumber
			for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
				j++
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				m := j + 1
				if m < len(s) && (s[m] == '+' || s[m] == '-') {
					m++
				}
				if m < len(s) && isDigit(s[m]) {
					j = m
					for j < len(s) && isDigit(s[j]) {
						j++
					}
				}
			}
		case c == ':' && i+1 < len(s) && (isWordStart(s[i+1]) || isDigit(s[i+1])):
			k = tkParam
			for j < len(s) && isWordPart(s[j]) {
				j++
			}
		case c == '|' && i+1 < len(s) && s[i+1] == '|':
			j = i + 2
		case (c == '<' || c == '>' || c == '!') && i+1 < len(s) && (s[i+1] == '=' || (c == '<' && s[i+1] == '>')):
			j = i + 2
		case isWordStart(c):
			k = tkWord
			for j < len(s) && isWordPart(s[j]) {
				j++
			}
		}
		out = append(out, tok{kind: k, text: s[i:j]})
		i = j
	}
	return out
}

func isDigit(c byte) bool     { return c >= '0' && c <= '9' }
func isWordStart(c byte) bool { return c == '_' || c >= 0x80 || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isWordPart(c byte) bool  { return isWordStart(c) || isDigit(c) || c == '$' || c == '#' }

// text joins tokens back into SQL.
func text(ts []tok) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.text)
	}
	return b.String()
}

// solid drops whitespace and comments.
func solid(ts []tok) []tok {
	out := make([]tok, 0, len(ts))
	for _, t := range ts {
		if t.kind != tkSpace {
			out = append(out, t)
		}
	}
	return out
}

// closing returns the index of the parenthesis closing the one at i, or -1.
func closing(ts []tok, i int) int {
	depth := 0
	for j := i; j < len(ts); j++ {
		switch {
		case ts[j].punct("("):
			depth++
		case ts[j].punct(")"):
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// opening returns the index of the parenthesis opening the one closed at i.
func opening(ts []tok, i int) int {
	depth := 0
	for j := i; j >= 0; j-- {
		switch {
		case ts[j].punct(")"):
			depth++
		case ts[j].punct("("):
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}
