package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestExitStatus pins the exit status scheme (0 success, 1 failure, 2
// usage) through the built command, for the mistakes a script makes.
func TestExitStatus(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string // in stderr
	}{
		{[]string{"conn", "rm", "x"}, 2, `unknown command "rm" for vap conn`},
		{[]string{"conn", "rm"}, 2, "usage: vap conn COMMAND ("},
		{[]string{"keys", "frobnicate"}, 2, `unknown command "frobnicate" for vap keys`},
		{[]string{"bogus"}, 2, `unknown command "bogus" for vap`},
		{[]string{"conn"}, 2, "vap conn needs a subcommand"},
		{[]string{"conn", "show"}, 2, "usage: vap conn show NAME"},
		{[]string{"conn", "delete"}, 2, "usage: vap conn delete NAME"},
		{[]string{"query"}, 2, "usage: vap query NAME"},
		{[]string{"conn", "list", "extra"}, 2, "usage: vap conn list"},
		{[]string{"conn", "show", "--nope", "x"}, 2, "unknown flag: --nope"},
		{[]string{"conn", "show", "nosuch"}, 1, "No connection found with name: nosuch."},
		{[]string{"conn", "delete", "nosuch"}, 1, "No connection found"},
		{[]string{"conn", "list"}, 0, ""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errs, code := cli(t, home, "", tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errs, tc.code, tc.want)
			}
		})
	}
	// A typo gets a suggestion.
	if _, errs, _ := cli(t, home, "", "conn", "lst"); !strings.Contains(errs, "did you mean list or test?") {
		t.Errorf("no suggestion: %q", errs)
	}
	// The bare command prints its help and succeeds.
	if out, _, code := cli(t, home, ""); code != 0 || !strings.Contains(out, "Exit status: 0 success, 1 failure, 2 usage error") {
		t.Errorf("vap: %d %q", code, out)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	out, errs, code := cli(t, t.TempDir(), "", "--version")
	if code != 0 || !regexp.MustCompile(`^vap \S+.* go1\.\d+`).MatchString(out) {
		t.Fatalf("--version: %d %q %q", code, out, errs)
	}
}

// TestTerminalSafe stores a connection whose name and values carry escape
// sequences and checks that list, show and an error print them escaped.
func TestTerminalSafe(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	evil := "\x1b]0;pwned\x07\x1b[2J"
	name := "ok-name"
	if _, errs, code := cli(t, home, "", "conn", "create", name, "--type", "sqlite", "--set", "path="+home+"/x.db"+evil+"\u202e"); code != 0 {
		t.Fatalf("create: %q", errs)
	}
	for _, args := range [][]string{{"conn", "list"}, {"conn", "show", name}, {"conn", "show", "x" + evil}} {
		out, errs, _ := cli(t, home, "", args...)
		if strings.ContainsAny(out+errs, "\x1b\x07\u202e") {
			t.Errorf("%v printed a raw control character: %q %q", args, out, errs)
		}
	}
	out, _, _ := cli(t, home, "", "conn", "show", name)
	if !strings.Contains(out, `\x1b]0;pwned\a\x1b[2J\u202e`) {
		t.Errorf("show does not print the escaped value: %q", out)
	}
	_, errs, _ := cli(t, home, "", "conn", "show", "x"+evil)
	if !strings.Contains(errs, `x\x1b]0;pwned\a\x1b[2J`) {
		t.Errorf("error does not print the escaped name: %q", errs)
	}
}
