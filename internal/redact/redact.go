package redact

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mask replaces a secret.
const Mask = "********"

// Withheld replaces a whole text that holds a weak secret (see Weak): the
// mask's position would give such a secret away, so nothing of the text is
// printed.
const Withheld = "message withheld: it holds text equal to a secret that is too short or too word-like to mask without revealing it"

// MinStrong is the length, in characters, below which a secret is weak.
const MinStrong = 8

// Weak reports whether secret cannot be masked inside a text without
// revealing it: it is shorter than MinStrong characters or made of letters
// only, so it may be an ordinary word of the text ("a", "test",
// "postgres"), and a mask in its place lets a reader guess it from the
// words around it.
func Weak(secret string) bool {
	if utf8.RuneCountInString(secret) < MinStrong {
		return true
	}
	for _, r := range secret {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// forms returns the secret and the encodings a driver might echo it in: URL
// escaped (query, path segment, path, userinfo), Go-quoted (%q),
// JSON-escaped and base64.
func forms(secret string) []string {
	out := []string{secret}
	quoted := strconv.Quote(secret)
	js, _ := json.Marshal(secret)
	path := (&url.URL{Path: "/" + secret}).EscapedPath()[1:]
	for _, f := range []string{url.QueryEscape(secret), url.PathEscape(secret), path, url.UserPassword("u", secret).String()[2:],
		quoted[1 : len(quoted)-1], string(js[1 : len(js)-1]),
		base64.StdEncoding.EncodeToString([]byte(secret)), base64.RawStdEncoding.EncodeToString([]byte(secret)),
		base64.URLEncoding.EncodeToString([]byte(secret)), base64.RawURLEncoding.EncodeToString([]byte(secret))} {
		if f != secret && f != "" {
			out = append(out, f)
		}
	}
	return out
}

func isWord(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// tokenAt reports whether f, found at s[i:], stands as a whole token: a
// word character at its edge is not continued by a word character of s.
func tokenAt(s, f string, i int) bool {
	j := i + len(f)
	if first, _ := utf8.DecodeRuneInString(f); isWord(first) && i > 0 {
		if prev, _ := utf8.DecodeLastRuneInString(s[:i]); isWord(prev) {
			return false
		}
	}
	if last, _ := utf8.DecodeLastRuneInString(f); isWord(last) && j < len(s) {
		if next, _ := utf8.DecodeRuneInString(s[j:]); isWord(next) {
			return false
		}
	}
	return true
}

type span struct{ from, to int }

// find returns where the secrets stand as tokens in s, in any form, and
// whether one of them is weak.
func find(s string, secrets []string) (spans []span, weak bool) {
	// An embedded Withheld is vap's own text, not the driver's.
	var own []span
	for off := 0; ; {
		k := strings.Index(s[off:], Withheld)
		if k < 0 {
			break
		}
		own = append(own, span{off + k, off + k + len(Withheld)})
		off += k + len(Withheld)
	}
	inOwn := func(from, to int) bool {
		for _, o := range own {
			if from >= o.from && to <= o.to {
				return true
			}
		}
		return false
	}
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		for _, f := range forms(sec) {
			for off := 0; off < len(s); {
				k := strings.Index(s[off:], f)
				if k < 0 {
					break
				}
				i := off + k
				if tokenAt(s, f, i) && !inOwn(i, i+len(f)) {
					spans = append(spans, span{i, i + len(f)})
					weak = weak || Weak(sec)
				}
				_, size := utf8.DecodeRuneInString(s[i:])
				off = i + size
			}
		}
	}
	return spans, weak
}

// String returns s safe to print. Each secret, and each encoding of it a
// driver may echo (URL escaping, Go and JSON quoting, base64), is replaced
// by Mask where it stands as a whole token: where the characters next to it
// do not continue it as a word (letters, digits, underscore). Text that
// only contains a secret's letters inside a longer word ("postgresql" for
// the secret "postgres", "invalid" for "a") is not the secret and is left
// intact. When a weak secret (see Weak) stands as a token, the whole text
// is replaced by Withheld.
func String(s string, secrets ...string) string {
	spans, weak := find(s, secrets)
	if len(spans) == 0 {
		return s
	}
	if weak {
		return Withheld
	}
	sort.Slice(spans, func(a, b int) bool { return spans[a].from < spans[b].from })
	var b strings.Builder
	at := 0
	for i := 0; i < len(spans); {
		from, to := spans[i].from, spans[i].to
		for i++; i < len(spans) && spans[i].from <= to; i++ {
			to = max(to, spans[i].to)
		}
		b.WriteString(s[at:from])
		b.WriteString(Mask)
		at = to
	}
	b.WriteString(s[at:])
	return b.String()
}

// Contains reports whether s holds any of the secrets, in any form, as a
// whole token: whether String would change it. Text equal to Withheld is
// vap's own and holds no secret.
func Contains(s string, secrets ...string) bool {
	spans, _ := find(s, secrets)
	return len(spans) > 0
}

// Error returns err unchanged when its message holds no secret, else an error
// whose message is String's and whose Unwrap returns err (errors.Is and
// errors.As see through it; printing an unwrapped cause is the caller's
// choice).
func Error(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := String(msg, secrets...)
	if clean == msg {
		return err
	}
	return &scrubbed{msg: clean, err: err}
}

type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }
