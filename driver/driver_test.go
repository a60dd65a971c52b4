package driver_test

import (
	"database/sql"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	vapdriver "github.com/vapsql/vap/driver"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

// TestBundleLinksEveryType: importing the bundle registers every type vap
// ships and both store backends, and its old names still work.
func TestBundleLinksEveryType(t *testing.T) {
	want := []string{"databricks", "mssql", "mssql+pymssql", "mssql+pymysql", "mssql+pyodbc", "mysql", "oracle", "postgresql", "sqlalchemy-redshift", "sqlite"}
	if got := registry.Default.Names(); !slices.Equal(got, want) {
		t.Fatalf("registered types %v, want %v", got, want)
	}
	dir := t.TempDir()
	h, _ := store.NewKeyset()
	st := store.Open(store.WithURL("sqlite://"+filepath.Join(dir, "s.db")), store.WithKeyset(h), store.WithoutEnvOverrides())
	defer st.Close()
	c := &store.Connection{Name: "lite", Type: "sqlite"}
	c.Set("path", filepath.Join(dir, "x.db"), false)
	if err := st.Create(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	var conn *vapdriver.Connector
	conn, err := vapdriver.NewConnector("lite", vapdriver.WithStore(st))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	if _, ok := db.Driver().(*stdlib.Driver); !ok || vapdriver.Name != "vap" {
		t.Fatalf("driver %T", db.Driver())
	}
	_, err = vapdriver.NewConnector("nobody", vapdriver.WithStore(st))
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing name: %v", err)
	}
}

// TestBuildTagsDropFamilies: -tags vap_no_<family> leaves the family and its
// driver out of the bundle.
func TestBuildTagsDropFamilies(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the bundle's packages")
	}
	list := func(tags string) string {
		out, err := exec.Command(gobin, "list", "-deps", "-tags", tags, "github.com/vapsql/vap/driver").Output()
		if err != nil {
			t.Fatalf("go list -tags %q: %v", tags, err)
		}
		return string(out)
	}
	all := list("")
	lean := list("vap_no_oracle,vap_no_databricks")
	for _, p := range []string{"github.com/vapsql/vap/registry/oracle\n", "github.com/sijms/go-ora/v2\n", "github.com/vapsql/vap/registry/databricks\n", "github.com/databricks/databricks-sql-go\n"} {
		if !strings.Contains(all, p) {
			t.Errorf("the full bundle lacks %s", p)
		}
		if strings.Contains(lean, p) {
			t.Errorf("-tags vap_no_oracle,vap_no_databricks still links %s", p)
		}
	}
	if !strings.Contains(lean, "github.com/vapsql/vap/registry/mssql\n") {
		t.Error("the tags dropped a family they do not name")
	}
}
