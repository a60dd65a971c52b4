package conformance_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/odbc"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/sqlite"
)

// newType is a connection type that exists only in this test, declared the
// way docs/adding-a-connection-type.md says: one registry.Type holds
// everything the store, the driver, OdbcToRows and the suite need to know.
// It runs on embedded SQLite under its own name, with a column type of its
// own (FLAG, a boolean) that only its Columns knows.
var newType = &registry.Type{
	Name:      "vaptest-flagdb",
	Driver:    "modernc.org/sqlite",
	Required:  []string{"path"},
	Bind:      registry.Question,
	PingQuery: "SELECT 1",
	Connector: sqlite.SQLite.Connector,
	Dialect:   sqlite.Dialect,
	Columns: func(i coltype.Info) coltype.Spec {
		if name, _ := coltype.Split(i.Name); name == "FLAG" {
			return coltype.Spec{Kind: coltype.Bool, Scale: -1}
		}
		return sqlite.Columns(i)
	},
}

var registerNewType = sync.OnceFunc(func() { registry.Register(newType) })

// TestNewConnectionType proves the path of a new connection type end to
// end: registered once, it is validated and stored by the store, opened by
// the vap driver, its columns are read by OdbcToRows through its own
// Columns, and the conformance suite runs on it with its Dialect.
func TestNewConnectionType(t *testing.T) {
	registerNewType()
	st := testenv.Store(t)
	path := filepath.Join(t.TempDir(), "flags.db")
	testenv.Put(t, st, "newtype", newType.Name, map[string]string{"path": path})

	db := testenv.OpenDB(t, st, "newtype")
	ctx := context.Background()
	for _, q := range []string{"CREATE TABLE flags (id INTEGER, f FLAG)", "INSERT INTO flags VALUES (1, 1), (2, 0), (3, NULL)"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rows, err := odbc.OdbcToRows(ctx, "SELECT f FROM flags ORDER BY id", "newtype", odbc.WithStore(st))
	if err != nil {
		t.Fatal(err)
	}
	if k := rows.Columns()[0].Kind; k != odbc.KindBool {
		t.Fatalf("FLAG column read as %s, want bool: OdbcToRows did not ask the type's Columns", k)
	}
	got, _ := rows.Bools("f")
	nulls, _ := rows.Nulls("f")
	if !got[0] || got[1] || !nulls[2] {
		t.Errorf("values %v nulls %v, want [true false NULL]", got, nulls)
	}

	for _, r := range conformance.Run(t, conformance.Target{Name: "newtype", Store: st}) {
		if r.Status == conformance.Fail {
			t.Errorf("%s failed on the new type", r.ID)
		}
	}
}
