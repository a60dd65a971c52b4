package sqltext

import (
	"strconv"
	"strings"
)

// Kind is the class of a Token.
type Kind int

// The token kinds; see the package documentation for what each covers.
const (
	Space  Kind = iota // whitespace and comments
	Word               // unquoted identifier or keyword
	Quoted             // "ident", `ident` or [ident]
	String             // 'literal'
	Number             // numeric literal
	Param              // ?, ?NNN, :name, @name, $name
	Punct              // any other single byte
)

var kindNames = [...]string{"Space", "Word", "Quoted", "String", "Number", "Param", "Punct"}

// String returns the kind's name, as spelled in this package.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Token is one token of SQL text: its kind and its text exactly as in the
// input.
type Token struct {
	Kind Kind
	Text string
}

// Is reports whether t is the unquoted word word, in any letter case.
func (t Token) Is(word string) bool {
	return t.Kind == Word && strings.EqualFold(t.Text, word)
}

// IsPunct reports whether t is the punctuation byte c.
func (t Token) IsPunct(c byte) bool {
	return t.Kind == Punct && len(t.Text) == 1 && t.Text[0] == c
}

// Tokenize splits SQL text into tokens whose texts concatenate back to s
// exactly; no token is empty.
func Tokenize(s string) []Token {
	var toks []Token
	for i := 0; i < len(s); {
		c := s[i]
		j := i + 1
		kind := Punct
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			kind = Space
			for j < len(s) && strings.IndexByte(spaceBytes, s[j]) >= 0 {
				j++
			}
		case c == '-' && strings.HasPrefix(s[i:], "--"):
			kind = Space
			if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
				j = i + k + 1
			} else {
				j = len(s)
			}
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			kind = Space
			if k := strings.Index(s[i+2:], "*/"); k >= 0 {
				j = i + 2 + k + 2
			} else {
				j = len(s)
			}
		case c == '\'':
			kind = String
			j = scanQuoted(s, i, '\'')
		case c == '"' || c == '`':
			kind = Quoted
			j = scanQuoted(s, i, c)
		case c == '[':
			kind = Quoted
			if k := strings.IndexByte(s[i:], ']'); k >= 0 {
				j = i + k + 1
			} else {
				j = len(s)
			}
		case isDigit(c) || (c == '.' && i+1 < len(s) && isDigit(s[i+1])):
			kind = Number
			j = scanNumber(s, i)
		case c == '?':
			kind = Param
			for j < len(s) && isDigit(s[j]) {
				j++
			}
		case (c == ':' || c == '@' || c == '$') && i+1 < len(s) && isWordStart(s[i+1]):
			kind = Param
			for j < len(s) && isWordPart(s[j]) {
				j++
			}
		case isWordStart(c):
			kind = Word
			for j < len(s) && isWordPart(s[j]) {
				j++
			}
		}
		toks = append(toks, Token{Kind: kind, Text: s[i:j]})
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
