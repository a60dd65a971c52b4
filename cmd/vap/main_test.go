package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// envRunCLI makes the test binary run as the vap command (TestMain), so the
// tests drive the real main: its exit status, its signal handling, its
// standard streams.
const envRunCLI = "VAP_TEST_RUN_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(envRunCLI) == "1" {
		os.Unsetenv(envRunCLI)
		main()
		return
	}
	os.Exit(m.Run())
}

// vapCommand returns the vap command (this test binary run as the CLI) with
// VAP_HOME set to home, no VAP_* variable of the test's environment but the
// test-server ones, and extra appended ("NAME=value").
func vapCommand(t testing.TB, home string, extra []string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "VAP_") && !strings.HasPrefix(kv, "VAP_TEST_") {
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, envRunCLI+"=1", "VAP_HOME="+home)
	cmd.Env = append(cmd.Env, extra...)
	return cmd
}

// cli runs the vap command with VAP_HOME set to home and returns what it
// printed and its exit status.
func cli(t testing.TB, home, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return cliEnv(t, home, nil, stdin, args...)
}

// cliEnv is cli with extra environment variables ("NAME=value").
func cliEnv(t testing.TB, home string, env []string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := vapCommand(t, home, env, args...)
	var out, errb bytes.Buffer
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run vap %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

const seedPayload = `{"name": "my-postgres-connection", "connection_data": {"connection_type": "postgresql", "user_name": "ben", "password": {"value": "secret-password", "encrypt": true}, "host": "localhost", "port": 5432, "dbname": "test"}}`

func TestConnLifecycle(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	out, errs, code := cli(t, home, seedPayload, "conn", "create", "-f", "-")
	if code != 0 || !strings.Contains(out, `created connection "my-postgres-connection" (postgresql, version 1)`) {
		t.Fatalf("create: %d %q %q", code, out, errs)
	}
	_, errs, code = cli(t, home, seedPayload, "conn", "create", "-f", "-")
	if code != 1 || !strings.Contains(errs, "already exists") {
		t.Fatalf("duplicate create: %d %q", code, errs)
	}
	out, _, code = cli(t, home, strings.Replace(seedPayload, "localhost", "db2", 1), "conn", "create", "-f", "-", "--replace")
	if code != 0 || !strings.Contains(out, "version 2") {
		t.Fatalf("replace: %d %q", code, out)
	}
	out, _, code = cli(t, home, "", "conn", "list")
	if code != 0 || !strings.Contains(out, "my-postgres-connection") || !strings.Contains(out, "postgresql") {
		t.Fatalf("list: %q", out)
	}
	out, _, code = cli(t, home, "", "conn", "show", "my-postgres-connection")
	if code != 0 || !strings.Contains(out, "password         ********") || !strings.Contains(out, "db2") || strings.Contains(out, "secret-password") {
		t.Fatalf("show: %q", out)
	}
	out, _, _ = cli(t, home, "", "conn", "show", "my-postgres-connection", "--json")
	if !strings.Contains(out, `"password":{"encrypt":true,"value":"********"}`) {
		t.Fatalf("show --json: %q", out)
	}
	out, _, code = cli(t, home, "typed-secret\n", "conn", "create", "typed", "--type", "mysql", "--set", "host=h", "--set", "user_name=u", "--secret", "password")
	if code != 0 {
		t.Fatalf("create by flags: %q", out)
	}
	out, _, _ = cli(t, home, "", "conn", "show", "typed")
	if !strings.Contains(out, "password         ********") || strings.Contains(out, "typed-secret") {
		t.Fatalf("typed secret not redacted: %q", out)
	}
	out, _, code = cli(t, home, "", "conn", "delete", "my-postgres-connection")
	if code != 0 || !strings.Contains(out, "deleted") {
		t.Fatalf("delete: %q", out)
	}
	_, errs, code = cli(t, home, "", "conn", "show", "my-postgres-connection")
	want := "vap: No connection found with name: my-postgres-connection. Please check your connection name and verify that a connection with that name exists in the connection store.\n"
	if code != 1 || errs != want {
		t.Fatalf("show deleted: %d %q", code, errs)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"conn", "create"}, "give -f FILE"},
		{[]string{"conn", "create", "x", "--type", "sqlite", "-f", "p.json"}, "not both"},
		{[]string{"conn", "create", "x", "--type", "sqlite", "--set", "=v"}, "--set wants FIELD=VALUE"},
		{[]string{"conn", "create", "x", "--type", "mysql", "--set", "password:hunter2-typo"}, "--set number 1 has no"},
		{[]string{"query", "x", "SELECT 1", "--format", "xml"}, "--format must be"},
		{[]string{"conn", "show"}, "accepts 1 arg"},
		{[]string{"conn", "create", "--bogus"}, "unknown flag"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errs, code := cli(t, home, "", tc.args...)
			if strings.Contains(errs, "hunter2") {
				t.Fatal("a mistyped argument was echoed")
			}
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Fatalf("code %d, stderr %q, want 2 and %q", code, errs, tc.want)
			}
		})
	}
}

func TestConnTestExitStatus(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	cli(t, home, "", "conn", "create", "lite", "--type", "sqlite", "--set", "path="+home+"/t.db")
	out, _, code := cli(t, home, "", "conn", "test", "lite")
	if code != 0 || !strings.HasPrefix(out, "ok: lite (sqlite) answered in ") {
		t.Fatalf("test ok: %d %q", code, out)
	}
	cli(t, home, "", "conn", "create", "closed", "--type", "postgresql", "--set", "host=127.0.0.1", "--set", "port=1", "--set", "user_name=u")
	_, errs, code := cli(t, home, "", "conn", "test", "closed", "--timeout", "10s")
	if code != 1 || !strings.HasPrefix(errs, `vap: connect "closed" (postgresql)`) || strings.Count(errs, "\n") != 1 {
		t.Fatalf("test failure: %d %q", code, errs)
	}
}
