package termsafe

import (
	"strconv"
	"unicode"
)

// Unsafe reports whether r must never reach a terminal as is: a control
// character (C0, DEL, C1), a line or paragraph separator, or a
// bidirectional embedding, override or isolate.
func Unsafe(r rune) bool {
	switch {
	case unicode.IsControl(r), r == '\u2028', r == '\u2029':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c':
		return true
	}
	return r == unicode.ReplacementChar
}

// String returns s when every character of it prints as itself, else s
// quoted with Go escapes ("a\x1b[31m" prints as "a\x1b[31m", backslash and
// all), so nothing in it acts on the terminal.
func String(s string) string {
	for _, r := range s {
		if Unsafe(r) || !unicode.IsPrint(r) && r != ' ' && r != '\u200d' {
			return strconv.Quote(s)
		}
	}
	return s
}
