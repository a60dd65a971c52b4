package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/vapsql/vap/store"
	_ "github.com/vapsql/vap/store/sqlite"
)

// openStore opens home's default store in the test process.
func openStore(t *testing.T, home string) *store.Store {
	t.Helper()
	st := store.Open(store.WithHome(home), store.WithLookupEnv(func(k string) (string, bool) {
		if k == store.EnvHome {
			return home, true
		}
		return "", false
	}))
	t.Cleanup(func() { st.Close() })
	return st
}

func TestConnUpdate(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	if _, errs, code := cli(t, home, seedPayload, "conn", "create", "-f", "-"); code != 0 {
		t.Fatal(errs)
	}
	const name = "my-postgres-connection"
	out, errs, code := cli(t, home, "", "conn", "update", name, "--set", "host=db2", "--set", "options.sslmode=require")
	if code != 0 || out != "updated connection \"my-postgres-connection\" (postgresql, version 2)\n" {
		t.Fatalf("update: %d %q %q", code, out, errs)
	}
	c, err := openStore(t, home).Get(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	if c.Get("host") != "db2" || c.Get("options.sslmode") != "require" || c.Get("password") != "secret-password" || c.Get("user_name") != "ben" || c.Get("port") != "5432" {
		t.Fatalf("after update: %v", c)
	}
	// A secret from standard input, a field removed.
	if _, errs, code := cli(t, home, "new-secret\n", "conn", "update", name, "--secret", "password", "--unset", "options.sslmode"); code != 0 {
		t.Fatal(errs)
	}
	c, _ = openStore(t, home).Get(context.Background(), name)
	if c.Get("password") != "new-secret" || !c.Fields["password"].Secret || c.Get("options.sslmode") != "" || c.Version != 3 {
		t.Fatalf("after secret update: %v", c)
	}
	// --if-version is a compare-and-swap; a mismatch changes nothing.
	_, errs, code = cli(t, home, "", "conn", "update", name, "--set", "host=db3", "--if-version", "2")
	if code != 1 || !strings.Contains(errs, "version 3, not 2") {
		t.Fatalf("stale --if-version: %d %q", code, errs)
	}
	if _, _, code := cli(t, home, "", "conn", "update", name, "--set", "host=db3", "--if-version", "3"); code != 0 {
		t.Fatal("current --if-version refused")
	}
	c, _ = openStore(t, home).Get(context.Background(), name)
	if c.Get("host") != "db3" || c.Version != 4 {
		t.Fatalf("after --if-version 3: %v", c)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"conn", "update", name}, 2, "nothing to change"},
		{[]string{"conn", "update", name, "--unset", "nosuch"}, 2, "no such field"},
		{[]string{"conn", "update", name, "--set", "port=notaport"}, 1, "port"},
		{[]string{"conn", "update", name, "--set", "bogus=1"}, 1, "bogus"},
		{[]string{"conn", "update", "nosuch", "--set", "host=h"}, 1, "No connection found"},
	} {
		_, errs, code := cli(t, home, "", tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) || strings.Contains(errs, "new-secret") {
			t.Errorf("%v: %d %q, want %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
	c, _ = openStore(t, home).Get(context.Background(), name)
	if c.Version != 4 {
		t.Errorf("a failed update wrote: version %d", c.Version)
	}
}

// TestSecretPromptEchoOff runs vap conn update with a pseudo-terminal as
// standard input and checks that the typed secret is not echoed.
func TestSecretPromptEchoOff(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	if _, errs, code := cli(t, home, seedPayload, "conn", "create", "-f", "-"); code != 0 {
		t.Fatal(errs)
	}
	master, slave := openPTY(t)
	cmd := vapCommand(t, home, nil, "conn", "update", "my-postgres-connection", "--secret", "password")
	cmd.Stdin = slave
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	echoed := make(chan string)
	go func() {
		var b []byte
		buf := make([]byte, 256)
		for {
			n, err := master.Read(buf)
			b = append(b, buf[:n]...)
			if err != nil {
				echoed <- string(b)
				return
			}
		}
	}()
	// Type only once the terminal's echo is off.
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		tio, err := unix.IoctlGetTermios(int(master.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			break
		}
		if time.Since(start) > 30*time.Second {
			cmd.Process.Kill()
			t.Fatalf("echo never turned off; stderr %q", stderr.String())
		}
	}
	master.Write([]byte("typed-at-tty\n"))
	if err := cmd.Wait(); err != nil {
		t.Fatalf("update: %v %q", err, stderr.String())
	}
	master.Close()
	if got := <-echoed; strings.Contains(got, "typed-at-tty") {
		t.Fatalf("the secret was echoed: %q", got)
	}
	if !strings.Contains(stderr.String(), "password of my-postgres-connection: ") {
		t.Fatalf("no prompt: %q", stderr.String())
	}
	c, err := openStore(t, home).Get(context.Background(), "my-postgres-connection")
	if err != nil || c.Get("password") != "typed-at-tty" {
		t.Fatalf("stored: %v %v", c, err)
	}
}

// openPTY opens a pseudo-terminal pair.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close(); s.Close() })
	return m, s
}

func TestConnListShowSources(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	cli(t, home, "", "conn", "create", "lite", "--type", "sqlite", "--set", "path="+home+"/a.db")
	cli(t, home, "", "conn", "create", "shadowed", "--type", "sqlite", "--set", "path="+home+"/b.db")
	env := []string{
		`VAP_CONN_SHADOWED={"connection_type": "sqlite", "path": "` + home + `/from-env.db"}`,
		`VAP_CONN_ENV_ONLY={"connection_type": "postgresql", "host": "h", "user_name": "u", "password": "env-pw-77"}`,
	}
	out, errs, code := cliEnv(t, home, env, "", "conn", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[0], "NAME") ||
		!strings.Contains(lines[1], "env_only") || !strings.Contains(lines[1], "postgresql") || !strings.HasSuffix(lines[1], "env VAP_CONN_ENV_ONLY") ||
		!strings.HasPrefix(lines[2], "lite") || !strings.HasSuffix(lines[2], "store") ||
		!strings.HasPrefix(lines[3], "shadowed") || !strings.HasSuffix(lines[3], "env VAP_CONN_SHADOWED (overrides the store)") {
		t.Fatalf("list: %d %q %q", code, out, errs)
	}
	out, _, _ = cliEnv(t, home, env, "", "conn", "list", "-o", "json")
	var listed []map[string]any
	if err := json.Unmarshal([]byte(out), &listed); err != nil || len(listed) != 3 || listed[0]["name"] != "env_only" || listed[0]["source"] != "env VAP_CONN_ENV_ONLY" || listed[1]["version"] != 1.0 {
		t.Fatalf("list -o json: %v %q", err, out)
	}
	out, _, code = cliEnv(t, home, env, "", "conn", "show", "shadowed")
	if code != 0 || !strings.Contains(out, "from-env.db") || !strings.Contains(out, "source           env VAP_CONN_SHADOWED (overrides the store)") || !strings.Contains(out, "stored_version   1 (not used while VAP_CONN_SHADOWED is set)") {
		t.Fatalf("show shadowed: %q", out)
	}
	out, _, code = cliEnv(t, home, env, "", "conn", "show", "env_only", "-o", "json")
	var shown map[string]any
	if err := json.Unmarshal([]byte(out), &shown); err != nil || code != 0 || shown["source"] != "env VAP_CONN_ENV_ONLY" || strings.Contains(out, "env-pw-77") || !strings.Contains(out, store.Redacted) {
		t.Fatalf("show -o json env-only: %v %q", err, out)
	}
	out, _, _ = cli(t, home, "", "conn", "show", "shadowed", "-o", "json")
	if !strings.Contains(out, `"source":"store"`) || !strings.Contains(out, `"version":1`) || !strings.Contains(out, "b.db") {
		t.Fatalf("show without the override: %q", out)
	}
	if _, errs, code := cli(t, home, "", "conn", "list", "-o", "yaml"); code != 2 || !strings.Contains(errs, "--output must be table or json") {
		t.Fatalf("-o yaml: %d %q", code, errs)
	}
}

func TestConnTestAll(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	cli(t, home, "", "conn", "create", "lite", "--type", "sqlite", "--set", "path="+home+"/t.db")
	out, errs, code := cli(t, home, "", "conn", "test", "--all")
	if code != 0 || !strings.HasPrefix(out, "ok    lite (sqlite) answered in ") || strings.Count(out, "\n") != 1 {
		t.Fatalf("all ok: %d %q %q", code, out, errs)
	}
	cli(t, home, "", "conn", "create", "closed", "--type", "postgresql", "--set", "host=127.0.0.1", "--set", "port=1", "--set", "user_name=u", "--secret", "password=closed-pw-31")
	out, errs, code = cli(t, home, "", "conn", "test", "--all", "--timeout", "10s")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 1 || len(lines) != 2 || !strings.HasPrefix(lines[0], "FAIL  closed: ") || !strings.HasPrefix(lines[1], "ok    lite ") ||
		errs != "vap: 1 of 2 connections failed\n" || strings.Contains(out+errs, "closed-pw-31") {
		t.Fatalf("one failing: %d %q %q", code, out, errs)
	}
	if _, errs, code := cli(t, home, "", "conn", "test", "lite", "--all"); code != 2 || !strings.Contains(errs, "--all tests every connection") {
		t.Fatalf("NAME and --all: %d %q", code, errs)
	}
	if _, errs, code := cli(t, home, "", "conn", "test"); code != 2 || !strings.Contains(errs, "give NAME, or --all") {
		t.Fatalf("neither: %d %q", code, errs)
	}
}

func TestKeysInit(t *testing.T) {
	t.Parallel()
	home := filepath.Join(t.TempDir(), "home")
	out, errs, code := cli(t, home, "", "keys", "init")
	ks := filepath.Join(home, store.KeysetFileName)
	if code != 0 || !strings.Contains(out, "created keyset "+ks) || !strings.Contains(out, "export VAP_KEYSET_FILE="+ks) {
		t.Fatalf("init: %d %q %q", code, out, errs)
	}
	if fi, err := os.Stat(ks); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("keyset file: %v %v", fi, err)
	}
	entries, _ := os.ReadDir(home)
	if len(entries) != 1 {
		t.Fatalf("init left more than the keyset: %v", entries)
	}
	before, _ := os.ReadFile(ks)
	if _, errs, code := cli(t, home, "", "keys", "init"); code != 1 || !strings.Contains(errs, "already exists") {
		t.Fatalf("second init: %d %q", code, errs)
	}
	if after, _ := os.ReadFile(ks); string(after) != string(before) {
		t.Fatal("second init changed the keyset")
	}
	// --file and VAP_KEYSET_FILE; a store then seals with that keyset.
	team := filepath.Join(t.TempDir(), "team.json")
	if _, errs, code := cliEnv(t, home, []string{"VAP_KEYSET_FILE=" + team}, "", "keys", "init"); code != 0 {
		t.Fatal(errs)
	}
	other := filepath.Join(t.TempDir(), "other.json")
	if _, errs, code := cli(t, home, "", "keys", "init", "--file", other); code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := cliEnv(t, home, []string{"VAP_KEYSET_FILE=" + team}, seedPayload, "conn", "create", "-f", "-"); code != 0 {
		t.Fatal(errs)
	}
	if _, errs, code := cliEnv(t, home, []string{"VAP_KEYSET_FILE=" + other}, "", "conn", "show", "my-postgres-connection"); code != 1 || !strings.Contains(errs, "cannot decrypt") {
		t.Fatalf("another keyset opened the secret: %d %q", code, errs)
	}
}
