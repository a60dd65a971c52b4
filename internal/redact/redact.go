package redact

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
)

// Mask replaces a secret.
const Mask = "********"

// forms returns the secret and the encodings a driver might echo it in: URL
// escaped (query, path, userinfo), Go-quoted (%q) and JSON-escaped.
func forms(secret string) []string {
	out := []string{secret}
	quoted := strconv.Quote(secret)
	js, _ := json.Marshal(secret)
	for _, f := range []string{url.QueryEscape(secret), url.PathEscape(secret), url.UserPassword("u", secret).String()[2:],
		quoted[1 : len(quoted)-1], string(js[1 : len(js)-1])} {
		if f != secret {
			out = append(out, f)
		}
	}
	return out
}

// String returns s with every non-empty secret (and its URL-escaped forms)
// replaced by Mask.
func String(s string, secrets ...string) string {
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		for _, f := range forms(sec) {
			s = strings.ReplaceAll(s, f, Mask)
		}
	}
	return s
}

// Contains reports whether s holds any of the secrets in any form.
func Contains(s string, secrets ...string) bool {
	return String(s, secrets...) != s
}

// Error returns err unchanged when its message holds no secret, else an error
// whose message is scrubbed and whose Unwrap returns err.
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
