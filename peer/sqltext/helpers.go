package sqltext

import "strings"

// Join returns the text of toks, concatenated.
func Join(toks []Token) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.Text)
	}
	return b.String()
}

// NextSolid returns the index of the first token at or after i that is not
// Space, or len(toks) when there is none.
func NextSolid(toks []Token, i int) int {
	for i < len(toks) && toks[i].Kind == Space {
		i++
	}
	return i
}

// FirstSolid returns the first token of toks that is not Space, or the zero
// Token.
func FirstSolid(toks []Token) Token {
	if i := NextSolid(toks, 0); i < len(toks) {
		return toks[i]
	}
	return Token{}
}

// LastSolid returns the last token of toks that is not Space, or the zero
// Token.
func LastSolid(toks []Token) Token {
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i].Kind != Space {
			return toks[i]
		}
	}
	return Token{}
}

// CallArgs reads the parenthesized argument list after the function name at
// toks[i]: the trimmed text of each top-level argument and the index of the
// closing parenthesis. An empty argument (including an empty list) or an
// unclosed list is not a call: ok is false.
func CallArgs(toks []Token, i int) (args []string, end int, ok bool) {
	open := NextSolid(toks, i+1)
	if open >= len(toks) || !toks[open].IsPunct('(') {
		return nil, 0, false
	}
	depth, from := 0, open+1
	for j := open; j < len(toks); j++ {
		switch {
		case toks[j].IsPunct('('):
			depth++
		case toks[j].IsPunct(')'):
			depth--
			if depth == 0 {
				a := strings.TrimSpace(Join(toks[from:j]))
				if a == "" {
					return nil, 0, false
				}
				return append(args, a), j, true
			}
		case depth == 1 && toks[j].IsPunct(','):
			a := strings.TrimSpace(Join(toks[from:j]))
			if a == "" {
				return nil, 0, false
			}
			args = append(args, a)
			from = j + 1
		}
	}
	return nil, 0, false
}

// spaceBytes are the bytes Tokenize reads as whitespace.
const spaceBytes = " \t\n\r\f"

// Split splits a batch of statements at each ';' outside quotes, comments
// and parentheses. Each statement comes without its ';' and with the
// whitespace around it trimmed; statements of only whitespace and comments
// are left out. Split does not know procedural blocks (BEGIN ... END), whose
// inner ';' it splits at too.
func Split(s string) []string {
	toks := Tokenize(s)
	var out []string
	depth, from := 0, 0
	flush := func(to int) {
		part := toks[from:to]
		if NextSolid(part, 0) < len(part) {
			out = append(out, strings.Trim(Join(part), spaceBytes))
		}
	}
	for i, t := range toks {
		switch {
		case t.IsPunct('('):
			depth++
		case t.IsPunct(')'):
			if depth > 0 {
				depth--
			}
		case depth == 0 && t.IsPunct(';'):
			flush(i)
			from = i + 1
		}
	}
	flush(len(toks))
	return out
}

// Placeholders returns the text of every Param token of toks, in order:
// "?", "?2", ":name", "@name", "$name".
func Placeholders(toks []Token) []string {
	var out []string
	for _, t := range toks {
		if t.Kind == Param {
			out = append(out, t.Text)
		}
	}
	return out
}
