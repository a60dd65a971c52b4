package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
)

func TestConnExportImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := t.TempDir()
	pw := map[string]string{"alpha": "export-canary-a1", "beta": "export-canary-b2"}
	for name, p := range pw {
		if _, errs, code := cli(t, src, p+"\n", "conn", "create", name, "--type", "postgresql", "--set", "host=h-"+name, "--set", "user_name=u", "--secret", "password"); code != 0 {
			t.Fatal(errs)
		}
	}
	cli(t, src, "", "conn", "create", "lite", "--type", "sqlite", "--set", "path=/tmp/x.db")
	file := filepath.Join(t.TempDir(), "conns.json")
	out, errs, code := cli(t, src, "", "conn", "export", "--output", file)
	data, _ := os.ReadFile(file)
	fi, _ := os.Stat(file)
	if code != 0 || out != "" || errs != "" || fi.Mode().Perm() != 0o600 || !strings.Contains(string(data), `"secrets": "sealed"`) {
		t.Fatalf("export: %d %q %q %v", code, out, errs, fi.Mode())
	}
	for _, p := range pw {
		if strings.Contains(string(data), p) {
			t.Fatal("a sealed export holds a plaintext secret")
		}
	}
	// A store with the same keyset imports it; an existing name is skipped.
	dst := t.TempDir()
	ks, _ := os.ReadFile(filepath.Join(src, store.KeysetFileName))
	os.WriteFile(filepath.Join(dst, store.KeysetFileName), ks, 0o600)
	cli(t, dst, "", "conn", "create", "beta", "--type", "sqlite", "--set", "path=/tmp/old.db")
	out, errs, code = cli(t, dst, "", "conn", "import", file, "--dry-run")
	if code != 0 || !strings.Contains(out, "would be created     alpha") || !strings.HasSuffix(out, "2 created, 1 skipped, 0 overwritten (dry run: nothing written)\n") {
		t.Fatalf("dry run: %d %q %q", code, out, errs)
	}
	if list, _ := openStore(t, dst).List(ctx); len(list) != 1 {
		t.Fatalf("dry run wrote: %v", list)
	}
	out, errs, code = cli(t, dst, "", "conn", "import", file)
	want := "created     alpha\nskipped     beta (exists; --overwrite replaces it)\ncreated     lite\n2 created, 1 skipped, 0 overwritten\n"
	if code != 0 || out != want {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	st := openStore(t, dst)
	if c, err := st.Get(ctx, "alpha"); err != nil || c.Get("password") != pw["alpha"] || c.Get("host") != "h-alpha" {
		t.Fatalf("alpha: %v %v", c, err)
	}
	if c, _ := st.Get(ctx, "beta"); c.Type != "sqlite" {
		t.Fatal("a skipped connection changed")
	}
	out, _, code = cli(t, dst, "", "conn", "import", file, "--overwrite")
	if code != 0 || out != "overwritten alpha\noverwritten beta\noverwritten lite\n0 created, 0 skipped, 3 overwritten\n" {
		t.Fatalf("overwrite: %d %q", code, out)
	}
	if c, _ := openStore(t, dst).Get(ctx, "beta"); c.Type != "postgresql" || c.Get("password") != pw["beta"] || c.Version != 2 {
		t.Fatalf("beta after overwrite: %v", c)
	}
	// Another keyset: nothing is imported.
	foreign := t.TempDir()
	cli(t, foreign, "", "conn", "create", "keep", "--type", "sqlite", "--set", "path=/tmp/k.db")
	_, errs, code = cli(t, foreign, "", "conn", "import", file)
	if code != 1 || !strings.Contains(errs, "cannot decrypt") || !strings.Contains(errs, "nothing was imported") {
		t.Fatalf("foreign keyset: %d %q", code, errs)
	}
	if list, _ := openStore(t, foreign).List(ctx); len(list) != 1 {
		t.Fatalf("foreign keyset import wrote: %d connections", len(list))
	}
	// Bad files change nothing.
	bad := map[string]string{
		"truncated":     string(data[:len(data)/2]),
		"unknown field": `{"vap_connections": 1, "secrets": "sealed", "connections": [], "extra": 1}`,
		"wrong format":  `{"vap_connections": 9, "secrets": "sealed", "connections": []}`,
		"second invalid": `{"vap_connections": 1, "secrets": "plaintext", "connections": [
			{"name": "fine", "connection_type": "sqlite", "fields": {"path": "/tmp/f.db"}},
			{"name": "broken", "connection_type": "postgresql", "fields": {"host": "h", "port": "99999"}, "secrets": {"password": "bad-file-canary"}}]}`,
		"duplicate": `{"vap_connections": 1, "secrets": "plaintext", "connections": [
			{"name": "d", "connection_type": "sqlite", "fields": {"path": "/tmp/f.db"}},
			{"name": "d", "connection_type": "sqlite", "fields": {"path": "/tmp/g.db"}}]}`,
	}
	for what, content := range bad {
		_, errs, code := cli(t, foreign, content, "conn", "import", "-")
		if code != 1 || !strings.Contains(errs, "nothing was imported") || strings.Contains(errs, "bad-file-canary") || strings.Contains(errs, "export-canary") {
			t.Errorf("%s: %d %q", what, code, errs)
		}
		if list, _ := openStore(t, foreign).List(ctx); len(list) != 1 {
			t.Errorf("%s: the store changed (%d connections)", what, len(list))
		}
	}
	// --reveal-secrets is loud and moves connections to a store with another keyset.
	out, errs, code = cli(t, src, "", "conn", "export", "alpha", "--reveal-secrets")
	if code != 0 || !strings.Contains(errs, "WARNING: --reveal-secrets") || !strings.Contains(out, pw["alpha"]) || strings.Contains(out, "beta") {
		t.Fatalf("reveal: %d %q", code, errs)
	}
	if out, errs, code := cli(t, foreign, out, "conn", "import", "-"); code != 0 || out != "created     alpha\n1 created, 0 skipped, 0 overwritten\n" {
		t.Fatalf("plaintext import: %d %q %q", code, out, errs)
	}
	if c, _ := openStore(t, foreign).Get(ctx, "alpha"); c.Get("password") != pw["alpha"] {
		t.Fatal("plaintext import lost the secret")
	}
	if _, errs, code := cli(t, src, "", "conn", "export", "nosuch"); code != 1 || !strings.Contains(errs, "No connection found with name: nosuch") {
		t.Fatalf("export of a missing name: %d %q", code, errs)
	}
}
