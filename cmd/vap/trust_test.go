package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/keyset"
	"github.com/vapsql/vap/store/sqlite"
)

// insertRaw writes a record straight into the home's store file, past
// every check, as someone with write access to the file could.
func insertRaw(t *testing.T, home string, r *backend.Record) {
	t.Helper()
	b, err := sqlite.Open(context.Background(), filepath.Join(home, store.StoreFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Insert(context.Background(), r); err != nil {
		t.Fatal(err)
	}
}

// TestListPrintsNamesSafely: a stored name or type holding an escape
// sequence is printed escaped, never raw to the terminal.
func TestListPrintsNamesSafely(t *testing.T) {
	home := t.TempDir()
	if _, errs, code := cli(t, home, seedPayload, "conn", "create", "-f", "-"); code != 0 {
		t.Fatal(errs)
	}
	insertRaw(t, home, &backend.Record{Name: "evil\x1b]0;owned\x07\x1b[2J", Type: "sqlite\x1b[31m", Fields: map[string]backend.SealedField{"path": {Value: "/x"}}})
	out, errs, code := cli(t, home, "", "conn", "list")
	if code != 0 || strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, `evil\x1b]0;owned`) {
		t.Fatalf("list: %d %q %q", code, out, errs)
	}
	_, errs, _ = cli(t, home, "", "conn", "show", "evil\x1b]0;owned\x07\x1b[2J")
	if strings.ContainsAny(errs, "\x1b\x07") {
		t.Fatalf("show error printed the raw name: %q", errs)
	}
}

// TestShowJSONReplaceKeepsPassword: vap conn show --json | vap conn create
// -f - --replace keeps the stored password instead of storing the mask.
func TestShowJSONReplaceKeepsPassword(t *testing.T) {
	home := t.TempDir()
	if _, errs, code := cli(t, home, seedPayload, "conn", "create", "-f", "-"); code != 0 {
		t.Fatal(errs)
	}
	shown, errs, code := cli(t, home, "", "conn", "show", "my-postgres-connection", "--json")
	if code != 0 || !strings.Contains(shown, store.Redacted) {
		t.Fatalf("show --json: %d %q %q", code, shown, errs)
	}
	edited := strings.Replace(shown, `"host":"localhost"`, `"host":"db2"`, 1)
	if out, errs, code := cli(t, home, edited, "conn", "create", "-f", "-", "--replace"); code != 0 {
		t.Fatalf("replace: %d %q %q", code, out, errs)
	}
	st := store.Open(store.WithHome(home), store.WithLookupEnv(func(string) (string, bool) { return "", false }))
	defer st.Close()
	c, err := st.Get(context.Background(), "my-postgres-connection")
	if err != nil || c.Get("password") != "secret-password" || c.Get("host") != "db2" {
		t.Fatalf("after show --json | create --replace: password kept=%v, host %q, %v", c != nil && c.Get("password") == "secret-password", c.Get("host"), err)
	}
	// A new connection from a shown payload is refused: the mask is no secret.
	fresh := strings.Replace(shown, "my-postgres-connection", "copy", 1)
	_, errs, code = cli(t, home, fresh, "conn", "create", "-f", "-")
	if code != 1 || !strings.Contains(errs, "password") || !strings.Contains(errs, "mask") {
		t.Fatalf("create from a shown payload: %d %q", code, errs)
	}
}

// TestReplaceWhenStoredSecretDoesNotOpen: --replace works on a connection
// whose stored secret the keyset can no longer open.
func TestReplaceWhenStoredSecretDoesNotOpen(t *testing.T) {
	home := t.TempDir()
	if _, errs, code := cli(t, home, seedPayload, "conn", "create", "-f", "-"); code != 0 {
		t.Fatal(errs)
	}
	h, err := keyset.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := keyset.Write(filepath.Join(home, store.KeysetFileName), h); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := cli(t, home, "", "conn", "show", "my-postgres-connection"); code != 1 || !strings.Contains(errs, "decrypt") {
		t.Fatalf("show with another keyset: %d %q", code, errs)
	}
	newPayload := strings.Replace(seedPayload, "secret-password", "new-password", 1)
	if out, errs, code := cli(t, home, newPayload, "conn", "create", "-f", "-", "--replace"); code != 0 {
		t.Fatalf("replace: %d %q %q", code, out, errs)
	}
	if _, errs, code := cli(t, home, "", "conn", "show", "my-postgres-connection"); code != 0 {
		t.Fatalf("show after replace: %d %q", code, errs)
	}
}

// TestReadOnlyCommandsCreateNothing: conn list, conn show, query and keys
// list on a mistyped store path fail naming it and create no store, no
// directory and no keyset; on a fresh home they create nothing either.
func TestReadOnlyCommandsCreateNothing(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	typo := filepath.Join(t.TempDir(), "sub", "stroe.db")
	for _, args := range [][]string{
		{"conn", "list"}, {"conn", "show", "x"}, {"query", "x", "SELECT 1"}, {"keys", "list"},
	} {
		_, errs, code := cli(t, home, "", append([]string{"--store", typo}, args...)...)
		if code == 0 || !strings.Contains(errs, typo) {
			t.Errorf("%v on a mistyped store: %d %q, want a failure naming it", args, code, errs)
		}
		cli(t, home, "", args...)
	}
	for _, p := range []string{home, filepath.Dir(typo)} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("a read-only command created %s (%v)", p, err)
		}
	}
}

// TestKeysTwoPhaseCLI: keys add, keys reencrypt KEYID, keys retire OLD
// leave every secret readable and the old key gone.
func TestKeysTwoPhaseCLI(t *testing.T) {
	home := t.TempDir()
	if _, errs, code := cli(t, home, seedPayload, "conn", "create", "-f", "-"); code != 0 {
		t.Fatal(errs)
	}
	before, _ := keyset.Load(filepath.Join(home, store.KeysetFileName))
	old := before.Primary()
	out, errs, code := cli(t, home, "", "keys", "add")
	if code != 0 {
		t.Fatalf("keys add: %d %q", code, errs)
	}
	var id uint32
	if _, err := fmt.Sscanf(out, "added key %d", &id); err != nil || id == old {
		t.Fatalf("keys add printed %q", out)
	}
	if _, errs, code := cli(t, home, "", "keys", "retire", fmt.Sprint(old)); code != 1 || !strings.Contains(errs, "primary") {
		t.Fatalf("retire of the primary: %d %q", code, errs)
	}
	if _, errs, code := cli(t, home, "", "keys", "reencrypt", fmt.Sprint(id)); code != 0 {
		t.Fatalf("keys reencrypt: %d %q", code, errs)
	}
	if _, errs, code := cli(t, home, "", "keys", "retire", fmt.Sprint(old)); code != 0 {
		t.Fatalf("keys retire: %d %q", code, errs)
	}
	out, _, _ = cli(t, home, "", "keys", "list")
	if strings.Contains(out, fmt.Sprint(old)) || !strings.Contains(out, fmt.Sprint(id)) {
		t.Fatalf("keys list after the rotation: %q", out)
	}
	if _, errs, code := cli(t, home, "", "conn", "show", "my-postgres-connection"); code != 0 {
		t.Fatalf("show after the rotation: %q", errs)
	}
}
