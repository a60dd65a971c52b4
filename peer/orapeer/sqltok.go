package orapeer

import (
	"strings"

	"github.com/vapsql/vap/peer/sqltext"
)

// Tokens come from the peers' shared tokenizer (peer/sqltext); an Oracle
// layer on top joins what Oracle reads as one token: positional binds
// (:1), identifiers with $ and # (V$SESSION, SERIAL#), and the two-byte
// operators ||, <=, >=, <> and !=.

type tokKind = sqltext.Kind

const (
	tkSpace  = sqltext.Space  // whitespace and comments
	tkWord   = sqltext.Word   // unquoted identifier or keyword
	tkQuoted = sqltext.Quoted // "identifier"
	tkString = sqltext.String // 'literal'
	tkNumber = sqltext.Number // numeric literal
	tkParam  = sqltext.Param  // :1, :name
	tkPunct  = sqltext.Punct  // any other byte, or a two-byte operator
)

type tok struct {
	kind tokKind
	text string
}

func (t tok) is(word string) bool { return t.kind == tkWord && strings.EqualFold(t.text, word) }

func (t tok) punct(p string) bool { return t.kind == tkPunct && t.text == p }

// tokenize splits Oracle SQL into tokens whose texts concatenate back to s.
func tokenize(s string) []tok {
	in := sqltext.Tokenize(s)
	out := make([]tok, 0, len(in))
	for i := 0; i < len(in); i++ {
		t := tok{kind: in[i].Kind, text: in[i].Text}
		next := func() (sqltext.Token, bool) {
			if i+1 < len(in) {
				return in[i+1], true
			}
			return sqltext.Token{}, false
		}
		switch {
		case t.kind == tkPunct && t.text == ":":
			if n, ok := next(); ok && n.Kind == sqltext.Number && isDigits(n.Text) {
				t = tok{kind: tkParam, text: ":" + n.Text}
				i++
			}
		case t.kind == tkPunct && (t.text == "|" || t.text == "<" || t.text == ">" || t.text == "!"):
			if n, ok := next(); ok && n.Kind == sqltext.Punct && (n.Text == "=" || (t.text == "|" && n.Text == "|") || (t.text == "<" && n.Text == ">")) {
				t.text += n.Text
				i++
			}
		case t.kind == tkWord:
			// V$SESSION, SERIAL#, A$B#C: the shared tokenizer splits them
			for {
				n, ok := next()
				if !ok {
					break
				}
				if (n.Kind == sqltext.Param && n.Text[0] == '$') || (n.Kind == sqltext.Punct && (n.Text == "#" || n.Text == "$")) ||
					(n.Kind == sqltext.Word && (strings.HasSuffix(t.text, "#") || strings.HasSuffix(t.text, "$"))) ||
					(n.Kind == sqltext.Number && isDigits(n.Text) && (strings.HasSuffix(t.text, "#") || strings.HasSuffix(t.text, "$"))) {
					t.text += n.Text
					i++
					continue
				}
				break
			}
		}
		out = append(out, t)
	}
	return out
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

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
