package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vapsql/vap/internal/testenv"
)

// TestConnRefCLI: --ref and {"ref": …} are stored as references, show and
// export print them as is, import takes them back.
func TestConnRefCLI(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	if _, errs, code := cli(t, home, "", "conn", "create", "r1", "--type", "postgresql", "--set", "host=db", "--set", "user_name=app", "--ref", "password=env:PGPASSWORD"); code != 0 {
		t.Fatal(errs)
	}
	const payload = `{"name": "r2", "connection_data": {"connection_type": "postgresql", "host": "db", "user_name": "app", "password": {"ref": "vault:secret/pg#password"}}}`
	if _, errs, code := cli(t, home, payload, "conn", "create", "-f", "-"); code != 0 {
		t.Fatal(errs)
	}
	out, errs, code := cli(t, home, "", "conn", "show", "r1")
	if code != 0 || !strings.Contains(out, "ref(env:PGPASSWORD)") {
		t.Fatalf("show: %d %q %q", code, out, errs)
	}
	out, _, _ = cli(t, home, "", "conn", "show", "r2", "-o", "json")
	if !strings.Contains(out, `"password":{"ref":"vault:secret/pg#password"}`) {
		t.Fatalf("show -o json: %s", out)
	}
	// Update: a reference changed; a secret becomes a reference.
	if _, errs, code := cli(t, home, "", "conn", "update", "r1", "--ref", "password=file:/run/secrets/pg"); code != 0 {
		t.Fatal(errs)
	}
	cli(t, home, "", "conn", "create", "r3", "--type", "postgresql", "--set", "host=db", "--set", "user_name=app", "--secret", "password=Old-secret-12345")
	if _, errs, code := cli(t, home, "", "conn", "update", "r3", "--ref", "password=env:PGPASSWORD"); code != 0 {
		t.Fatal(errs)
	}
	if c, err := openStore(t, home).Get(context.Background(), "r3"); err != nil || c.Refs()["password"] != "env:PGPASSWORD" {
		t.Fatalf("secret to reference: %v %v", c, err)
	}
	// Refused: unknown scheme, host as a reference, bad flag.
	for _, args := range [][]string{
		{"conn", "create", "bad1", "--type", "postgresql", "--set", "host=db", "--set", "user_name=u", "--ref", "password=nosuch:x"},
		{"conn", "create", "bad2", "--type", "postgresql", "--set", "user_name=u", "--ref", "host=env:H"},
		{"conn", "create", "bad3", "--type", "postgresql", "--set", "host=db", "--set", "user_name=u", "--ref", "password"},
	} {
		if _, errs, code := cli(t, home, "", args...); code == 0 || errs == "" {
			t.Fatalf("%v accepted", args)
		}
	}
	// Export prints references as is; import into a store with another
	// keyset takes them back.
	out, errs, code = cli(t, home, "", "conn", "export")
	if code != 0 {
		t.Fatal(errs)
	}
	var f exportFile
	if err := json.Unmarshal([]byte(out), &f); err != nil {
		t.Fatal(err)
	}
	refs := map[string]string{}
	for _, c := range f.Connections {
		refs[c.Name] = c.Refs["password"]
	}
	if refs["r1"] != "file:/run/secrets/pg" || refs["r2"] != "vault:secret/pg#password" {
		t.Fatalf("export refs: %v\n%s", refs, out)
	}
	other := t.TempDir()
	in := filepath.Join(t.TempDir(), "export.json")
	os.WriteFile(in, []byte(out), 0o600)
	if _, errs, code := cli(t, other, "", "conn", "import", in); code != 0 {
		t.Fatal(errs)
	}
	c, err := openStore(t, other).Get(context.Background(), "r2")
	if err != nil || c.Refs()["password"] != "vault:secret/pg#password" {
		t.Fatalf("imported: %v %v", c, err)
	}
}

// TestConnTestSteps: `vap conn test` names the step that failed, each
// with a real cause: an unset variable and a group-readable file
// (reference resolution), a closed port (network), a server without TLS
// asked for TLS (TLS), and a wrong password on a cluster that checks
// scram-sha-256 passwords (authentication), and passes with the right one.
func TestConnTestSteps(t *testing.T) {
	p := testenv.StartPrivatePostgres(t)
	admin := p.Admin(t)
	role := fmt.Sprintf("vap_cli_ref_%d", os.Getpid())
	const pw = "Cli-ref-pw-4c5d6e7f"
	if _, err := admin.Exec(fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", role, pw)); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	port := strconv.Itoa(p.Port)
	open := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(open, []byte(pw+"\n"), 0o644)
	os.Chmod(open, 0o644)
	create := func(name, port, sslmode, ref string) {
		t.Helper()
		if _, errs, code := cli(t, home, "", "conn", "create", name, "--type", "postgresql", "--set", "host=127.0.0.1", "--set", "port="+port,
			"--set", "user_name="+role, "--set", "dbname=postgres", "--set", "options.sslmode="+sslmode, "--ref", "password="+ref); code != 0 {
			t.Fatal(errs)
		}
	}
	create("unset", port, "disable", "env:VAP_TEST_REF_UNSET_VAR")
	create("open-file", port, "disable", "file:"+open)
	create("closed", "1", "disable", "env:VAP_TEST_REF_PW")
	create("tls", port, "require", "env:VAP_TEST_REF_PW")
	create("scram", port, "disable", "env:VAP_TEST_REF_PW")
	const wrong = "Wrong-cli-pw-8a9b0c1d"
	for _, tc := range []struct{ name, pw, step string }{
		{"unset", pw, "reference resolution"},
		{"open-file", pw, "reference resolution"},
		{"closed", pw, "network"},
		{"tls", pw, "TLS"},
		{"scram", wrong, "authentication"},
	} {
		_, errs, code := cliEnv(t, home, []string{"VAP_TEST_REF_PW=" + tc.pw}, "", "conn", "test", tc.name, "--timeout", "20s")
		if code != 1 || !strings.Contains(errs, "(failed step: "+tc.step+")") {
			t.Errorf("%s: %d %q, want step %s", tc.name, code, errs, tc.step)
		}
		if strings.Contains(errs, tc.pw) || strings.Contains(errs, wrong) {
			t.Errorf("%s: the password is in the message: %q", tc.name, errs)
		}
	}
	out, errs, code := cliEnv(t, home, []string{"VAP_TEST_REF_PW=" + pw}, "", "conn", "test", "scram")
	if code != 0 || !strings.HasPrefix(out, "ok: scram (postgresql)") {
		t.Fatalf("right password: %d %q %q", code, out, errs)
	}
	out, _, code = cliEnv(t, home, []string{"VAP_TEST_REF_PW=" + pw}, "", "conn", "test", "--all")
	if code != 1 || !strings.Contains(out, "(failed step: network)") || !strings.Contains(out, "ok    scram") {
		t.Fatalf("--all: %d %q", code, out)
	}
}
