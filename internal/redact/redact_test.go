package redact

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"testing"
)

func mustJSON(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

func TestError(t *testing.T) {
	secret := `p@ss:w/o;rd "q" %+\ 'x' ü`
	for _, tc := range []struct {
		name string
		msg  string
	}{
		{"plain", "auth failed for " + secret},
		{"query escaped", "dsn user:" + url.QueryEscape(secret) + "@host"},
		{"path escaped", "dsn /" + url.PathEscape(secret)},
		{"userinfo escaped", "postgres://u:" + url.UserPassword("u", secret).String()[2:] + "@h"},
		{"go quoted", fmt.Sprintf("bad value %q", secret)},
		{"json escaped", `{"password": ` + string(mustJSON(secret)) + `}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := &wrapped{msg: tc.msg, err: io.EOF}
			err := Error(base, secret)
			if Contains(err.Error(), secret) {
				t.Fatalf("still holds the secret: %s", err)
			}
			if !errors.Is(err, io.EOF) {
				t.Fatal("chain lost")
			}
			var w *wrapped
			if !errors.As(err, &w) {
				t.Fatal("As lost")
			}
		})
	}
	clean := errors.New("nothing secret")
	if Error(clean, secret) != clean || Error(nil, secret) != nil || Error(clean, "") != clean {
		t.Fatal("clean errors must pass through unchanged")
	}
}

type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }
