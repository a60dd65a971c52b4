package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
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
