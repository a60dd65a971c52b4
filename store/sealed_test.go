package store_test

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
)

// TestSealedMovesBetweenStores moves sealed records from one store to
// another with the same keyset, and checks that another keyset or a
// changed binding cannot open them.
func TestSealedMovesBetweenStores(t *testing.T) {
	ctx := context.Background()
	src, passwords := rotationHome(t)
	st := openHome(t, src)
	recs, err := st.Sealed(ctx)
	if err != nil || len(recs) != 3 {
		t.Fatalf("Sealed: %v %d", err, len(recs))
	}
	for _, r := range recs {
		if f := r.Fields["password"]; !f.Secret || strings.Contains(f.Value, passwords[r.Name]) {
			t.Fatalf("%s: password not sealed", r.Name)
		}
	}
	// Same keyset, another store.
	dst := t.TempDir()
	ks, _ := os.ReadFile(filepath.Join(src, store.KeysetFileName))
	os.WriteFile(filepath.Join(dst, store.KeysetFileName), ks, 0o600)
	to := openHome(t, dst)
	for _, r := range recs {
		c, err := to.OpenSealed(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if c.Get("password") != passwords[r.Name] || c.Version != 0 {
			t.Fatalf("%s opened wrong", r.Name)
		}
		if err := to.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	checkReadable(t, to, passwords)
	// Another keyset cannot open them.
	other := openHome(t, t.TempDir())
	if _, err := other.OpenSealed(ctx, recs[0]); !errors.Is(err, store.ErrDecrypt) || strings.Contains(err.Error(), passwords[recs[0].Name]) {
		t.Fatalf("other keyset: %v", err)
	}
	// A record whose plain field changed (host redirected) does not open.
	r := *recs[0]
	r.Fields = maps.Clone(r.Fields)
	r.Fields["host"] = backend.SealedField{Value: "attacker.example"}
	if _, err := to.OpenSealed(ctx, &r); !errors.Is(err, store.ErrDecrypt) {
		t.Fatalf("redirected record opened: %v", err)
	}
	if _, err := to.OpenSealed(ctx, &backend.Record{}); err == nil {
		t.Fatal("an empty record opened")
	}
}
