package sqliteuri

import (
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

func TestBuild(t *testing.T) {
	tests := []struct {
		path string
		want string
	}{
		{"/tmp/a.db", "file:/tmp/a.db"},
		{"//tmp/a.db", "file:/tmp/a.db"},
		{"rel/a b.db", "file:rel/a%20b.db"},
		{"/x/a?b#c%d.db", "file:/x/a%3Fb%23c%25d.db"},
		{":memory:", "file::memory:"},
	}
	for _, tc := range tests {
		if got := Build(tc.path, nil); got != tc.want {
			t.Errorf("Build(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
	if got := Build("/a.db", url.Values{"mode": {"ro"}}); got != "file:/a.db?mode=ro" {
		t.Errorf("with params: %q", got)
	}
}

// TestOpensTheNamedFile opens awkward paths through SQLite and checks the
// file that was created is the one named.
func TestOpensTheNamedFile(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a?b.db", "c#d.db", "e%41f.db", "g h ü.db"} {
		p := filepath.Join(dir, name)
		for _, path := range []string{p, "/" + p} { // "//…" too
			db, err := sql.Open("sqlite", Build(path, nil))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec("CREATE TABLE IF NOT EXISTS t (x)"); err != nil {
				t.Fatalf("%q: %v", path, err)
			}
			db.Close()
			if _, err := os.Stat(p); err != nil {
				t.Fatalf("%q: the named file was not created: %v", path, err)
			}
		}
	}
}
