package conformance_test

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/store"
	_ "github.com/vapsql/vap/store/sqlite"
)

func byID(rs []conformance.Result) map[string]conformance.Result {
	m := map[string]conformance.Result{}
	for _, r := range rs {
		m[r.ID] = r
	}
	return m
}

// TestCheckReportsFailures drives Check on targets that must fail, and
// checks which results fail and why.
func TestCheckReportsFailures(t *testing.T) {
	missing := "No connection found with name: conformance-missing. Please check your connection name and verify that a connection with that name exists in the connection store."
	cases := []struct {
		name   string
		setup  func(t *testing.T, st *store.Store) conformance.Target
		failed map[string]string // check ID → text its detail must contain
		passed []string
	}{
		{
			name: "missing name",
			setup: func(t *testing.T, st *store.Store) conformance.Target {
				return conformance.Target{Name: "conformance-missing", Store: st}
			},
			failed: map[string]string{"resolve": missing, "ping": missing, "kinds/int64": missing, "delete": missing},
		},
		{
			name: "unopenable sqlite file",
			setup: func(t *testing.T, st *store.Store) conformance.Target {
				testenv.Put(t, st, "broken", "sqlite", map[string]string{"path": filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")})
				return conformance.Target{Name: "broken", Store: st}
			},
			failed: map[string]string{"ping": "ping", "kinds/text": "not run: ping failed", "stream-100k": "not run: ping failed", "concurrency": "not run: ping failed"},
			passed: []string{"resolve", "delete", "redaction"},
		},
		{
			name: "gap naming no check",
			setup: func(t *testing.T, st *store.Store) conformance.Target {
				testenv.Put(t, st, "gapped", "sqlite", map[string]string{"path": filepath.Join(t.TempDir(), "x.db")})
				return conformance.Target{Name: "gapped", Store: st, Gaps: map[string]string{
					"no-such-check": "typo", "ping": "declared for the test",
				}}
			},
			failed: map[string]string{"no-such-check": "names no check", "kinds/int64": "not run: ping failed"},
			passed: []string{"resolve", "delete"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := testenv.Store(t)
			rs := byID(conformance.Check(context.Background(), tc.setup(t, st)))
			for id, want := range tc.failed {
				r, ok := rs[id]
				if !ok || r.Status != conformance.Fail || !strings.Contains(r.Detail, want) {
					t.Errorf("%s: %v %q, want fail containing %q", id, r.Status, r.Detail, want)
				}
			}
			for _, id := range tc.passed {
				if r := rs[id]; r.Status != conformance.Pass {
					t.Errorf("%s: %v %q, want pass", id, r.Status, r.Detail)
				}
			}
		})
	}
}

// TestDeclaredGap: a declared gap is reported n.p. with its reason and not run.
func TestDeclaredGap(t *testing.T) {
	st := testenv.Store(t)
	testenv.Put(t, st, "gapped", "sqlite", map[string]string{"path": filepath.Join(t.TempDir(), "x.db")})
	rs := byID(conformance.Check(context.Background(), conformance.Target{Name: "gapped", Store: st,
		Gaps: map[string]string{"stream-100k": "not today"}}))
	if r := rs["stream-100k"]; r.Status != conformance.NotProvable || !r.Declared || r.Detail != "not today" {
		t.Errorf("declared gap: %+v", r)
	}
	if r := rs["ping"]; r.Status != conformance.Pass {
		t.Errorf("ping: %+v", r)
	}
}

// leakyType's sessions answer every statement with an error that echoes the
// password, as a careless server might: the redaction check must catch it.
var leakyType = &registry.Type{
	Name: "leaky", Required: []string{"password"}, Secrets: []string{"password"}, PingQuery: "SELECT 1",
	Connector: func(ctx context.Context, p registry.Params) (driver.Connector, error) {
		return leakyConnector{pw: p.Get("password")}, nil
	},
}

type leakyConnector struct{ pw string }

func (c leakyConnector) Connect(context.Context) (driver.Conn, error) { return leakyConn(c), nil }
func (c leakyConnector) Driver() driver.Driver                        { return nil }

type leakyConn struct{ pw string }

func (c leakyConn) Prepare(q string) (driver.Stmt, error) {
	return nil, fmt.Errorf("server: statement refused for password %s", c.pw)
}
func (c leakyConn) Close() error              { return nil }
func (c leakyConn) Begin() (driver.Tx, error) { return nil, errors.New("no transactions") }

func TestRedactionCatchesLeak(t *testing.T) {
	reg := &registry.Registry{}
	reg.Register(leakyType)
	home := t.TempDir()
	st := store.Open(store.WithHome(home), store.WithURL(filepath.Join(home, "store.db")), store.WithRegistry(reg), store.WithoutEnvOverrides())
	defer st.Close()
	const secret = "leaked-pw-3f9a"
	c := &store.Connection{Name: "leaky-conn", Type: "leaky"}
	c.Set("password", secret, true)
	if err := st.Create(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	rs := conformance.Check(context.Background(), conformance.Target{Name: "leaky-conn", Store: st})
	var table bytes.Buffer
	conformance.WriteTable(&table, rs)
	if strings.Contains(table.String(), secret) {
		t.Fatalf("the table prints the secret")
	}
	m := byID(rs)
	if r := m["redaction"]; r.Status != conformance.Fail || !strings.Contains(r.Detail, "holds a secret") {
		t.Errorf("redaction: %v %q, want a failure", r.Status, r.Detail)
	}
	if r := m["ping"]; r.Status != conformance.Fail || !strings.Contains(r.Detail, "********") {
		t.Errorf("ping: %v %q, want a failure with the secret masked", r.Status, r.Detail)
	}
}

func TestWriteTable(t *testing.T) {
	var b bytes.Buffer
	err := conformance.WriteTable(&b, []conformance.Result{
		{ID: "ping", Title: "ping", Status: conformance.Pass, Detail: "SELECT 1"},
		{ID: "cancel", Title: "cancel", Status: conformance.NotProvable, Detail: "no server\nhere"},
		{ID: "kinds/decimal", Title: "decimal", Status: conformance.NotApplicable, Detail: "none"},
		{ID: "tx", Title: "tx", Status: conformance.Fail, Detail: "boom"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "STATUS  CHECK          PROVES   DETAIL\n" +
		"pass    ping           ping     SELECT 1\n" +
		"n.p.    cancel         cancel   no server here\n" +
		"n/a     kinds/decimal  decimal  none\n" +
		"fail    tx             tx       boom\n" +
		"1 pass, 1 fail, 1 n.p. (not provable here), 1 n/a (not in this database)\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestUpdateReadme(t *testing.T) {
	cols := []conformance.Column{
		{Label: "a", Results: []conformance.Result{{ID: "ping", Status: conformance.Pass}, {ID: "cancel", Status: conformance.NotApplicable, Detail: "no"}}},
		{Label: "b", Results: []conformance.Result{{ID: "ping", Status: conformance.Fail},
			{ID: "cancel", Status: conformance.Pass, Detail: "stopped", Note: "only through\nthe reader"}}},
	}
	cases := []struct {
		name, in string
		wantErr  bool
	}{
		{"markers", "# T\n\n" + conformance.MatrixStart + "\nold\n" + conformance.MatrixEnd + "\ntail\n", false},
		{"no markers", "# T\n", true},
		{"reversed", conformance.MatrixEnd + "\n" + conformance.MatrixStart + "\n", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "README.md")
			os.WriteFile(p, []byte(tc.in), 0o644)
			err := conformance.UpdateReadme(p, cols)
			got, _ := os.ReadFile(p)
			if tc.wantErr {
				if err == nil || string(got) != tc.in {
					t.Fatalf("err %v, file changed: %v", err, string(got) != tc.in)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := string(got)
			for _, want := range []string{"# T\n\n" + conformance.MatrixStart + "\n| check | a | b |", "| `ping` | pass | fail |",
				"| `cancel` | n/a | pass* |", "- **a** `cancel` — n/a: no", "pass*: a pass with a caveat:\n\n- **b** `cancel` — only through the reader\n",
				conformance.MatrixEnd + "\ntail\n"} {
				if !strings.Contains(s, want) {
					t.Errorf("missing %q in\n%s", want, s)
				}
			}
			if strings.Contains(s, "old") {
				t.Error("old content kept")
			}
			if err := conformance.UpdateReadme(p, cols); err != nil {
				t.Fatal(err)
			}
			if again, _ := os.ReadFile(p); string(again) != s {
				t.Error("a second update changed the file")
			}
		})
	}
}
