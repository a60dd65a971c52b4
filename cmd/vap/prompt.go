package main

import (
	"fmt"
	"os"

	"golang.org/x/term"
)

// promptSecret asks for field's value with echo off when standard input is
// a terminal; ok is false when it is not (the caller reads a line instead).
func promptSecret(a *app, name, field string) (v string, ok bool, err error) {
	f, isFile := a.stdin.(*os.File)
	if !isFile || !term.IsTerminal(int(f.Fd())) {
		return "", false, nil
	}
	fmt.Fprintf(a.stderr, "%s of %s: ", escape(field), escape(name))
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(a.stderr)
	if err != nil {
		return "", true, fmt.Errorf("--secret %s: %w", field, err)
	}
	if len(b) == 0 {
		return "", true, fmt.Errorf("--secret %s: no value typed", field)
	}
	return string(b), true, nil
}
