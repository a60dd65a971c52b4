package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vapsql/vap/store"
)

// copyFile distributes a keyset file from one host to another.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to+".new", b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(to+".new", to); err != nil {
		t.Fatal(err)
	}
}

// TestTeamRotation: two hosts share a store, each with its own copy of the
// keyset file. The two-phase rotation (add a key, distribute, re-encrypt
// with it, distribute, retire the old one) never leaves a secret that either
// host cannot open, and a long-running process on a host seals with the
// primary of the keyset file it meets, not the one it loaded at start.
func TestTeamRotation(t *testing.T) {
	ctx := context.Background()
	shared := filepath.Join(t.TempDir(), "shared.db")
	homeA, homeB := t.TempDir(), t.TempDir()
	ksA, ksB := filepath.Join(homeA, store.KeysetFileName), filepath.Join(homeB, store.KeysetFileName)
	a := openHome(t, homeA, store.WithURL(shared))
	pw := map[string]string{}
	put := func(st *store.Store, name string) {
		t.Helper()
		pw[name] = "pw-" + name
		if err := st.Create(ctx, pgConn(name, pw[name])); err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
	}
	everyoneReads := func(step string) {
		t.Helper()
		for _, home := range []string{homeA, homeB} {
			st := openHome(t, home, store.WithURL(shared))
			for name, p := range pw {
				c, err := st.Get(ctx, name)
				if err != nil || c.Get("password") != p {
					t.Fatalf("%s: host %s cannot read %s: %v", step, filepath.Base(home), name, err)
				}
			}
		}
	}
	put(a, "from-a-1")
	copyFile(t, ksA, ksB) // the team's keyset
	b := openHome(t, homeB, store.WithURL(shared))
	put(b, "from-b-1")
	old := primary(t, keys(t, a)).ID

	// 1. Add a key (not primary yet): nothing is sealed with it.
	k, err := a.AddKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if k.Primary || k.ID == old {
		t.Fatalf("AddKey = %+v, want a new key that is not primary", k)
	}
	put(a, "from-a-2")
	put(b, "from-b-2")
	everyoneReads("after add")

	// 2. Distribute; 3. re-encrypt with the new key.
	copyFile(t, ksA, ksB)
	if err := a.ReencryptWith(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	put(a, "from-a-3")
	put(b, "from-b-3") // b's file still has the old primary: sealed with it, readable by all
	everyoneReads("after re-encrypt")

	// 4. Distribute the keyset with the new primary: b, still running,
	// seals with it from its next write.
	copyFile(t, ksA, ksB)
	put(b, "from-b-4")
	for _, ki := range keys(t, a) {
		if ki.ID == old && ki.Secrets != 1 {
			t.Fatalf("old key seals %d secrets, want 1 (from-b-3 only): b did not reload its keyset before sealing", ki.Secrets)
		}
	}
	// 5. Re-encrypt what was sealed meanwhile, then retire.
	if err := a.ReencryptWith(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if err := a.RetireKey(ctx, old); err != nil {
		t.Fatal(err)
	}
	copyFile(t, ksA, ksB)
	put(b, "from-b-5")
	everyoneReads("after retire")
	for i := range 3 {
		put(a, fmt.Sprint("after-", i))
	}
	everyoneReads("end")
}
