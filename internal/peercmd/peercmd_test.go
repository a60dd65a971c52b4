package peercmd

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestRunExitCodes(t *testing.T) {
	served := errors.New("listen: address in use")
	for _, tc := range []struct {
		name  string
		args  []string
		check error
		serve error
		code  int
		want  string
	}{
		{"help", []string{"-h"}, nil, nil, 0, "-until-stdin-eof"},
		{"unknown flag", []string{"-nope"}, nil, nil, 2, "flag provided but not defined"},
		{"stray argument", []string{"extra"}, nil, nil, 2, `peer: unexpected argument "extra"`},
		{"check fails", nil, errors.New("peer: -x is required"), nil, 2, "-x is required"},
		{"serve fails", nil, nil, served, 1, served.Error()},
		{"serves", nil, nil, nil, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			ran := false
			c := Command{Flags: NewFlagSet("peer", &errb),
				Check: func() error { return tc.check },
				Serve: func(ctx context.Context, w io.Writer) error { ran = true; return tc.serve }}
			code := Run(context.Background(), c, tc.args, strings.NewReader(""), &out, &errb)
			if code != tc.code || !strings.Contains(errb.String(), tc.want) {
				t.Fatalf("code %d, stderr %q; want %d and %q", code, errb.String(), tc.code, tc.want)
			}
			if ran != (tc.code != 2 && tc.name != "help") {
				t.Fatalf("served: %v", ran)
			}
		})
	}
}

// TestUntilStdinEOF: with -until-stdin-eof the serving context ends when
// stdin closes; without it, it does not.
func TestUntilStdinEOF(t *testing.T) {
	for _, eof := range []bool{true, false} {
		r, w := io.Pipe()
		ended := make(chan bool, 1)
		c := Command{Flags: NewFlagSet("peer", io.Discard), Serve: func(ctx context.Context, _ io.Writer) error {
			w.Close()
			select {
			case <-ctx.Done():
				ended <- true
			case <-time.After(time.Second):
				ended <- false
			}
			return nil
		}}
		var args []string
		if eof {
			args = []string{"-until-stdin-eof"}
		}
		if code := Run(context.Background(), c, args, r, io.Discard, io.Discard); code != 0 {
			t.Fatalf("code %d", code)
		}
		if got := <-ended; got != eof {
			t.Errorf("-until-stdin-eof %v: the context ended: %v", eof, got)
		}
	}
}
