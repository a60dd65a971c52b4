package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestKeysRotateRetire(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	if _, errs, code := cli(t, home, seedPayload, "conn", "create", "-f", "-"); code != 0 {
		t.Fatalf("create: %q", errs)
	}
	out, errs, code := cli(t, home, "", "keys", "list")
	rows := regexp.MustCompile(`(?m)^(\d+)\s+Enabled\s+(yes)?\s+(\d+)$`).FindAllStringSubmatch(out, -1)
	if code != 0 || len(rows) != 1 || rows[0][2] != "yes" || rows[0][3] != "1" {
		t.Fatalf("keys list: %d %q %q", code, out, errs)
	}
	old := rows[0][1]

	_, errs, code = cli(t, home, "", "keys", "retire", old)
	if code != 1 || !strings.Contains(errs, "still in use") {
		t.Fatalf("retire the primary: %d %q", code, errs)
	}
	out, errs, code = cli(t, home, "", "keys", "rotate")
	if code != 0 || !strings.Contains(out, "new primary key") {
		t.Fatalf("rotate: %d %q %q", code, out, errs)
	}
	out, _, _ = cli(t, home, "", "keys", "list")
	if !regexp.MustCompile(`(?m)^` + old + `\s+Enabled\s+0$`).MatchString(out) {
		t.Fatalf("old key after rotate: %q", out)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"not a number", []string{"keys", "retire", "abc"}, 2},
		{"no such key", []string{"keys", "retire", "1"}, 1},
		{"old key", []string{"keys", "retire", old}, 0},
		{"again", []string{"keys", "retire", old}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := cli(t, home, "", tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %q %q", code, tc.code, out, errs)
			}
		})
	}
	out, errs, code = cli(t, home, "", "conn", "show", "my-postgres-connection", "--json")
	if code != 0 || strings.Contains(out+errs, "secret-password") {
		t.Fatalf("show after rotation: %d %q %q", code, out, errs)
	}
	out, _, _ = cli(t, home, "", "keys", "list")
	if n := len(regexp.MustCompile(`(?m)^\d+\s`).FindAllString(out, -1)); n != 1 {
		t.Fatalf("keys after retire: %q", out)
	}
}
