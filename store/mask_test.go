package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/keyset"
)

// TestMaskOnUpdateKeepsSecret: a secret sent back as the mask ********, as
// show prints it, keeps the stored secret on update (also when the plain
// fields it is bound to change); on create, and where nothing is stored to
// keep, it is refused.
func TestMaskOnUpdateKeepsSecret(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	if err := st.Create(ctx, pgConn("masked", "the-real-password")); err != nil {
		t.Fatal(err)
	}
	c, err := st.Get(ctx, "masked")
	if err != nil {
		t.Fatal(err)
	}
	c.Set("password", store.Redacted, true)
	c.Set("host", "db2.example.internal", false)
	if err := st.Update(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := st.Get(ctx, "masked")
	if err != nil {
		t.Fatal(err)
	}
	if got.Get("password") != "the-real-password" || got.Get("host") != "db2.example.internal" {
		t.Fatalf("after an update with the mask: password kept=%v host=%q", got.Get("password") == "the-real-password", got.Get("host"))
	}
	// Replace (no version given) keeps it too.
	got.Set("password", store.Redacted, true)
	got.Set("dbname", "other", false)
	got.Version = 0
	if err := st.Replace(ctx, got); err != nil {
		t.Fatal(err)
	}
	if again, err := st.Get(ctx, "masked"); err != nil || again.Get("password") != "the-real-password" || again.Get("dbname") != "other" {
		t.Fatalf("after Replace with the mask: %v %v", again, err)
	}

	// Create: the mask is not a secret.
	err = st.Create(ctx, pgConn("fresh", store.Redacted))
	if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "password") {
		t.Fatalf("create with the mask: %v, want ErrInvalid naming the field", err)
	}
	if _, err := st.Get(ctx, "fresh"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused create stored something: %v", err)
	}
	// Update of a secret the stored connection does not have.
	c, _ = st.Get(ctx, "masked")
	c.Set("client_secret", store.Redacted, true)
	if err := st.Update(ctx, c); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("mask for a secret not stored: %v, want ErrInvalid", err)
	}
}

// TestReplaceAndDeleteWhenSecretNoLongerOpens: a connection sealed with a
// key the keyset no longer has can still be replaced (with its secrets
// given anew) and deleted; keeping a masked secret of it fails clearly.
func TestReplaceAndDeleteWhenSecretNoLongerOpens(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	st := openHome(t, home)
	for _, n := range []string{"lost-a", "lost-b"} {
		if err := st.Create(ctx, pgConn(n, "old-password")); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	h, err := keyset.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(home, store.KeysetFileName)); err != nil {
		t.Fatal(err)
	}
	if err := keyset.Write(filepath.Join(home, store.KeysetFileName), h); err != nil {
		t.Fatal(err)
	}
	st = openHome(t, home)
	if _, err := st.Get(ctx, "lost-a"); !errors.Is(err, store.ErrDecrypt) {
		t.Fatalf("Get with the wrong keyset: %v, want ErrDecrypt", err)
	}
	masked := pgConn("lost-a", store.Redacted)
	if err := st.Replace(ctx, masked); !errors.Is(err, store.ErrDecrypt) || !strings.Contains(err.Error(), "password") {
		t.Fatalf("Replace keeping a secret that does not open: %v, want ErrDecrypt naming the field", err)
	}
	if err := st.Replace(ctx, pgConn("lost-a", "new-password")); err != nil {
		t.Fatalf("Replace with the secret given anew: %v", err)
	}
	if c, err := st.Get(ctx, "lost-a"); err != nil || c.Get("password") != "new-password" {
		t.Fatalf("after Replace: %v %v", c, err)
	}
	if err := st.Delete(ctx, "lost-b"); err != nil {
		t.Fatalf("Delete of a connection that does not open: %v", err)
	}
}
