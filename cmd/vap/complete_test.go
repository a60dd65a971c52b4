package main

import (
	"strings"
	"testing"
)

func TestCompletion(t *testing.T) {
	t.Parallel()
	home := liteHome(t)
	cli(t, home, "", "conn", "create", "other", "--type", "sqlite", "--set", "path="+home+"/o.db")
	env := []string{`VAP_CONN_FROM_ENV={"connection_type": "sqlite", "path": "/tmp/e.db"}`}
	for _, tc := range []struct {
		args []string
		want []string // lines, then the directive line
	}{
		{[]string{"conn", "show", ""}, []string{"from_env\tsqlite", "lite\tsqlite", "other\tsqlite", ":4"}},
		{[]string{"conn", "show", "li"}, []string{"lite\tsqlite", ":4"}},
		{[]string{"conn", "show", "lite", ""}, []string{":4"}},
		{[]string{"conn", "export", "lite", ""}, []string{"from_env\tsqlite", "other\tsqlite", ":4"}},
		{[]string{"query", ""}, []string{"from_env\tsqlite", "lite\tsqlite", "other\tsqlite", ":4"}},
		{[]string{"query", "lite", "SELECT 1", "--format", ""}, []string{"table", "csv", "tsv", "json", "ndjson", "parquet", "arrow", "arrows", ":4"}},
		{[]string{"conn", "list", "-o", ""}, []string{"table", "json", ":4"}},
		{[]string{"conn", "create", "x", "--type", "post"}, []string{"postgresql", ":4"}},
	} {
		out, errs, code := cliEnv(t, home, env, "", append([]string{"__complete"}, tc.args...)...)
		got := strings.Split(strings.TrimSpace(out), "\n")
		if code != 0 || strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("complete %q: %d %q %q, want %q", tc.args, code, got, errs, tc.want)
		}
	}
	// The scripts themselves.
	for _, sh := range []string{"bash", "zsh", "fish"} {
		if out, _, code := cli(t, home, "", "completion", sh); code != 0 || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: %d", sh, code)
		}
	}
	if _, errs, code := cli(t, home, "", "completion", "tcsh"); code != 2 || !strings.Contains(errs, `unknown command "tcsh"`) {
		t.Errorf("completion tcsh: %d %q", code, errs)
	}
}
