package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/vapsql/vap/registry/all"
	"github.com/vapsql/vap/store"
	_ "github.com/vapsql/vap/store/sqlite"
)

var noEnv = store.WithLookupEnv(func(string) (string, bool) { return "", false })

// newStore returns a store in a fresh home, and the home.
func newStore(t *testing.T, opts ...store.Option) (*store.Store, string) {
	t.Helper()
	home := t.TempDir()
	st := store.Open(append([]store.Option{store.WithHome(home), noEnv}, opts...)...)
	t.Cleanup(func() { st.Close() })
	return st, home
}

func pgConn(name, password string) *store.Connection {
	c := &store.Connection{Name: name, Type: "postgresql"}
	c.Set("host", "db.example.internal", false)
	c.Set("user_name", "ben", false)
	c.Set("password", password, false)
	c.Set("port", "5432", false)
	c.Set("dbname", "test", false)
	return c
}

func TestCreateGetListDelete(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	c := pgConn("my-postgres-connection", "secret-password")
	if err := st.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	if c.Version != 1 {
		t.Errorf("version after create = %d", c.Version)
	}
	got, err := st.Get(ctx, "my-postgres-connection")
	if err != nil {
		t.Fatal(err)
	}
	if got.Get("password") != "secret-password" || !got.Fields["password"].Secret || got.Get("host") != "db.example.internal" || got.Version != 1 {
		t.Fatalf("got %v", got)
	}
	if got.CreatedAt.IsZero() || got.UpdatedAt.IsZero() {
		t.Error("timestamps not set")
	}
	list, err := st.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Name != c.Name || list[0].Get("password") != "" || !list[0].Fields["password"].Secret {
		t.Fatalf("list = %v", list)
	}
	if err := st.Create(ctx, c); !errors.Is(err, store.ErrExists) {
		t.Fatalf("second create: %v", err)
	}
	if err := st.Delete(ctx, c.Name); err != nil {
		t.Fatal(err)
	}
	_, err = st.Get(ctx, c.Name)
	want := "No connection found with name: my-postgres-connection. Please check your connection name and verify that a connection with that name exists in the connection store."
	if err == nil || err.Error() != want || !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := st.Delete(ctx, c.Name); err == nil || err.Error() != want {
		t.Fatalf("second delete: %v", err)
	}
}

func TestNamesAnyUTF8(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	for _, name := range []string{"connexion é", "接続", "a b/c?d#e%f", "'; DROP TABLE x; --", strings.Repeat("n", store.MaxNameLen), "emoji 🦀"} {
		c := &store.Connection{Name: name, Type: "sqlite"}
		c.Set("path", "/tmp/x.db", false)
		if err := st.Create(ctx, c); err != nil {
			t.Fatalf("create %q: %v", name, err)
		}
		if _, err := st.Get(ctx, name); err != nil {
			t.Fatalf("get %q: %v", name, err)
		}
	}
}

// TestRejectedInputChangesNothing feeds invalid connections and checks each is
// refused with a clear error and that the store is byte-for-byte unchanged.
func TestRejectedInputChangesNothing(t *testing.T) {
	ctx := context.Background()
	st, home := newStore(t)
	base := pgConn("existing", "pw-1")
	if err := st.Create(ctx, base); err != nil {
		t.Fatal(err)
	}
	snapshot := func() string {
		list, err := st.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, c := range list {
			fmt.Fprintf(&b, "%v|%d|%s\n", c, c.Version, c.UpdatedAt)
		}
		return b.String()
	}
	before := snapshot()
	mk := func(name, typ string, fields map[string]string) *store.Connection {
		c := &store.Connection{Name: name, Type: typ}
		for k, v := range fields {
			c.Set(k, v, false)
		}
		return c
	}
	tests := []struct {
		name    string
		conn    *store.Connection
		update  bool
		wantErr string
	}{
		{"empty name", mk("", "postgresql", map[string]string{"host": "h", "user_name": "u"}), false, "name is empty"},
		{"invalid utf-8 name", mk("bad\xff", "postgresql", map[string]string{"host": "h", "user_name": "u"}), false, "UTF-8"},
		{"name too long", mk(strings.Repeat("x", store.MaxNameLen+1), "postgresql", map[string]string{"host": "h", "user_name": "u"}), false, "limit is 1024"},
		{"unknown type", mk("n", "cobol", map[string]string{"host": "h"}), false, "known types: "},
		{"missing host", mk("n", "postgresql", map[string]string{"user_name": "u"}), false, `"host" is required`},
		{"missing user", mk("n", "mysql", map[string]string{"host": "h"}), false, `"user_name" is required`},
		{"port zero", mk("n", "postgresql", map[string]string{"host": "h", "user_name": "u", "port": "0"}), false, "1 to 65535"},
		{"port too big", mk("n", "postgresql", map[string]string{"host": "h", "user_name": "u", "port": "65536"}), false, "1 to 65535"},
		{"port not a number", mk("n", "postgresql", map[string]string{"host": "h", "user_name": "u", "port": "54x"}), false, "1 to 65535"},
		{"unknown field", mk("n", "postgresql", map[string]string{"host": "h", "user_name": "u", "hots": "x"}), false, `"hots" is not a field`},
		{"unknown option", mk("n", "postgresql", map[string]string{"host": "h", "user_name": "u", "options.evil": "x"}), false, "not an option"},
		{"bad sslmode", mk("n", "postgresql", map[string]string{"host": "h", "user_name": "u", "options.sslmode": "maybe"}), false, "sslmode"},
		{"sqlite without path", mk("n", "sqlite", nil), false, `"path" is required`},
		{"invalid update keeps old", mk("existing", "postgresql", map[string]string{"host": "h"}), true, `"user_name" is required`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.update {
				tc.conn.Version = 1
				err = st.Update(ctx, tc.conn)
			} else {
				err = st.Create(ctx, tc.conn)
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
			}
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("err does not match ErrInvalid: %v", err)
			}
			if after := snapshot(); after != before {
				t.Fatalf("store changed:\n%s\nvs\n%s", before, after)
			}
		})
	}
	_ = home
}

// TestNoPlaintextSecretOnDisk stores secrets and scans every file of the home
// directory (store, WAL, keyset) for them.
func TestNoPlaintextSecretOnDisk(t *testing.T) {
	ctx := context.Background()
	st, home := newStore(t)
	secrets := []string{"canary-password-7f3a9", "canary-token-b81c", "canary-client-secret-22"}
	c := pgConn("pg", secrets[0])
	c.Set("dbname", "test", false)
	if err := st.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	d := &store.Connection{Name: "custom", Type: "mysql"}
	d.Set("host", "h", false)
	d.Set("user_name", secrets[1], true) // any field may be encrypted
	d.Set("password", secrets[2], false)
	if err := st.Create(ctx, d); err != nil {
		t.Fatal(err)
	}
	scan := func() {
		t.Helper()
		err := filepath.Walk(home, func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, s := range secrets {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("file %s holds a secret in plain text", filepath.Base(p))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	scan() // while open: WAL included
	st.Close()
	scan()
	re := store.Open(store.WithHome(home), noEnv)
	defer re.Close()
	if got, err := re.Get(ctx, "custom"); err != nil || got.Get("user_name") != secrets[1] {
		t.Fatalf("reopen: %v", err)
	}
}

func TestUpdateVersioned(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	if err := st.Create(ctx, pgConn("pg", "pw-1")); err != nil {
		t.Fatal(err)
	}
	a, _ := st.Get(ctx, "pg")
	b, _ := st.Get(ctx, "pg")
	a.Set("password", "pw-a", true)
	if err := st.Update(ctx, a); err != nil {
		t.Fatal(err)
	}
	if a.Version != 2 {
		t.Errorf("version = %d, want 2", a.Version)
	}
	b.Set("password", "pw-b", true)
	if err := st.Update(ctx, b); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale update: %v", err)
	}
	if got, _ := st.Get(ctx, "pg"); got.Get("password") != "pw-a" || got.Version != 2 {
		t.Fatalf("stale update changed the store: v%d", got.Version)
	}
	missing := pgConn("nope", "x")
	missing.Version = 1
	if err := st.Update(ctx, missing); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update of missing: %v", err)
	}
}

// TestConcurrentWritersLoseNothing races writers, each from its own Store
// (as separate processes would) on one file, doing read-modify-write with
// retry on conflict; every increment must land.
func TestConcurrentWritersLoseNothing(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	open := func() *store.Store {
		s := store.Open(store.WithHome(home), store.WithKeyset(h), noEnv)
		t.Cleanup(func() { s.Close() })
		return s
	}
	first := open()
	c := &store.Connection{Name: "counter", Type: "sqlite"}
	c.Set("path", "/0", false) // absolute: a relative path is stored absolute
	if err := first.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	const writers, each = 4, 10
	var wg sync.WaitGroup
	var conflicts sync.Map
	for w := range writers {
		st := open()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				for attempt := 0; ; attempt++ {
					if attempt > 1000 {
						t.Error("no progress after 1000 attempts")
						return
					}
					cur, err := st.Get(ctx, "counter")
					if err != nil {
						t.Error(err)
						return
					}
					var n int
					fmt.Sscan(strings.TrimPrefix(cur.Get("path"), "/"), &n)
					cur.Set("path", fmt.Sprint("/", n+1), false)
					err = st.Update(ctx, cur)
					if errors.Is(err, store.ErrConflict) {
						conflicts.Store(w, true)
						continue
					}
					if err != nil {
						t.Error(err)
						return
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	got, err := first.Get(ctx, "counter")
	if err != nil {
		t.Fatal(err)
	}
	if got.Get("path") != fmt.Sprint("/", writers*each) || got.Version != writers*each+1 {
		t.Fatalf("counter = %s at version %d, want %d at %d", got.Get("path"), got.Version, writers*each, writers*each+1)
	}
}
