package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
)

// TestTamperedRecordRefusedOnRead: a record altered in the store into a
// plain password (someone with write access but no keyset choosing the
// password) is refused when read, not served.
func TestTamperedRecordRefusedOnRead(t *testing.T) {
	ctx := context.Background()
	st, home := newStore(t)
	if err := st.Create(ctx, pgConn("tampered", "real-password")); err != nil {
		t.Fatal(err)
	}
	f := rawFields(t, home, "tampered")
	f["password"] = backend.SealedField{Value: "attacker-chosen"}
	writeFields(t, home, "tampered", f)
	c, err := st.Get(ctx, "tampered")
	if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "password") || strings.Contains(err.Error(), "attacker-chosen") {
		t.Fatalf("Get of a record with a plain password: %v %v, want ErrInvalid naming the field", c, err)
	}
	// A record whose plain fields no longer validate is refused too.
	if err := st.Create(ctx, pgConn("badport", "pw")); err != nil {
		t.Fatal(err)
	}
	f = rawFields(t, home, "badport")
	f["port"] = backend.SealedField{Value: "+5432"}
	writeFields(t, home, "badport", f)
	if _, err := st.Get(ctx, "badport"); err == nil {
		t.Fatal("Get of a record with port +5432 succeeded")
	}
}

// TestNameControlCharactersRefused: names that would drive a terminal
// (escape sequences, other control characters, bidirectional overrides) are
// refused; the missing-name error prints such a name escaped.
func TestNameControlCharactersRefused(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	for _, name := range []string{"a\x1b[31mred", "tab\tname", "nl\nname", "bell\a", "del\x7f", "c1\u0085", "rtl\u202eevil", "iso\u2066x", "ls\u2028x"} {
		c := &store.Connection{Name: name, Type: "sqlite"}
		c.Set("path", "/tmp/x.db", false)
		if err := st.Create(ctx, c); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("create %q: %v, want ErrInvalid", name, err)
		}
		_, err := st.Get(ctx, name)
		if !errors.Is(err, store.ErrNotFound) || strings.ContainsAny(err.Error(), "\x1b\t\n\a\x7f\u0085\u202e\u2066\u2028") {
			t.Errorf("Get %q: %q, want the not-found error with the name escaped", name, err)
		}
	}
	// Joiners inside emoji stay allowed.
	c := &store.Connection{Name: "family 👨\u200d👩\u200d👧", Type: "sqlite"}
	c.Set("path", "/tmp/x.db", false)
	if err := st.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
}

// TestEnvNameCollisionReported: two names that map to one VAP_CONN_*
// variable are reported when the second is created, naming both and the
// variable, instead of silently sharing the override.
func TestEnvNameCollisionReported(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	if err := st.Create(ctx, pgConn("my-db", "pw")); err != nil {
		t.Fatal(err)
	}
	for _, other := range []string{"my_db", "MY-DB", "my.db"} {
		err := st.Create(ctx, pgConn(other, "pw"))
		if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "VAP_CONN_MY_DB") || !strings.Contains(err.Error(), `"my-db"`) {
			t.Errorf("create %q beside my-db: %v, want ErrInvalid naming VAP_CONN_MY_DB and my-db", other, err)
		}
	}
	// Replacing the same name is no collision.
	c, err := st.Get(ctx, "my-db")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(ctx, c); err != nil {
		t.Fatal(err)
	}
}
