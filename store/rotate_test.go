package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/keyset"
	"github.com/vapsql/vap/store/sqlite"
)

// rotationHome is a home with a keyset file and a store of three
// connections, each with one secret.
func rotationHome(t *testing.T) (home string, passwords map[string]string) {
	t.Helper()
	home = t.TempDir()
	st := store.Open(store.WithHome(home), noEnv)
	defer st.Close()
	passwords = map[string]string{}
	for i, name := range []string{"alpha", "beta", "gamma"} {
		pw := fmt.Sprintf("rotation-canary-%d-%s", i, name)
		passwords[name] = pw
		if err := st.Create(context.Background(), pgConn(name, pw)); err != nil {
			t.Fatal(err)
		}
	}
	return home, passwords
}

func openHome(t *testing.T, home string, opts ...store.Option) *store.Store {
	t.Helper()
	st := store.Open(append([]store.Option{store.WithHome(home), noEnv}, opts...)...)
	t.Cleanup(func() { st.Close() })
	return st
}

func checkReadable(t *testing.T, st *store.Store, passwords map[string]string) {
	t.Helper()
	for name, pw := range passwords {
		c, err := st.Get(context.Background(), name)
		if err != nil {
			t.Fatalf("%s unreadable: %v", name, err)
		}
		if c.Get("password") != pw {
			t.Fatalf("%s: wrong password after rotation", name)
		}
	}
}

func keys(t *testing.T, st *store.Store) []store.KeyInfo {
	t.Helper()
	ks, err := st.Keys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func primary(t *testing.T, ks []store.KeyInfo) store.KeyInfo {
	t.Helper()
	for _, k := range ks {
		if k.Primary {
			return k
		}
	}
	t.Fatalf("no primary in %+v", ks)
	return store.KeyInfo{}
}

func noSecretIn(t *testing.T, err error, passwords map[string]string) {
	t.Helper()
	for _, pw := range passwords {
		if err != nil && strings.Contains(err.Error(), pw) {
			t.Fatalf("error holds a secret: %v", err)
		}
	}
}

func TestRotateAndRetire(t *testing.T) {
	ctx := context.Background()
	home, passwords := rotationHome(t)
	st := openHome(t, home)
	before := keys(t, st)
	if len(before) != 1 || !before[0].Primary || before[0].Secrets != 3 {
		t.Fatalf("keys before rotation: %+v", before)
	}
	old := before[0].ID

	err := st.RetireKey(ctx, old)
	if !errors.Is(err, store.ErrKeyInUse) {
		t.Fatalf("retire the only key: %v, want ErrKeyInUse", err)
	}

	v0, err := st.Version(ctx, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	k, err := st.RotateKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if k.ID == old || !k.Primary {
		t.Fatalf("RotateKey = %+v", k)
	}
	after := keys(t, st)
	if len(after) != 2 || primary(t, after).ID != k.ID || primary(t, after).Secrets != 3 {
		t.Fatalf("keys after rotation: %+v", after)
	}
	for _, ki := range after {
		if ki.ID == old && ki.Secrets != 0 {
			t.Fatalf("old key still seals %d secrets", ki.Secrets)
		}
	}
	if v, _ := st.Version(ctx, "alpha"); v != v0+1 {
		t.Errorf("version after rotation %d, want %d: connectors would not notice", v, v0+1)
	}
	checkReadable(t, st, passwords)
	checkReadable(t, openHome(t, home), passwords) // a new process, from the file

	tests := []struct {
		name string
		id   uint32
		want error
	}{
		{"primary", k.ID, store.ErrKeyInUse},
		{"unknown", 12345, store.ErrKeyset},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := st.RetireKey(ctx, tc.id)
			if !errors.Is(err, tc.want) {
				t.Fatalf("RetireKey(%d) = %v, want %v", tc.id, err, tc.want)
			}
			if got := keys(t, st); len(got) != 2 {
				t.Fatalf("a refused retire changed the keyset: %+v", got)
			}
		})
	}
	if err := st.RetireKey(ctx, old); err != nil {
		t.Fatalf("retire the unused old key: %v", err)
	}
	if got := keys(t, st); len(got) != 1 || got[0].ID != k.ID {
		t.Fatalf("keys after retire: %+v", got)
	}
	checkReadable(t, st, passwords)
	checkReadable(t, openHome(t, home), passwords)
}

func TestRetireRefusedWhileSecretUsesKey(t *testing.T) {
	ctx := context.Background()
	home, passwords := rotationHome(t)
	st := openHome(t, home)
	old := keys(t, st)[0].ID
	// Add a primary without re-encrypting: every secret still uses old.
	cur, err := keyset.Load(filepath.Join(home, store.KeysetFileName))
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := store.AddPrimaryKey(cur)
	if err != nil {
		t.Fatal(err)
	}
	if err := keyset.Write(filepath.Join(home, store.KeysetFileName), h); err != nil {
		t.Fatal(err)
	}
	err = st.RetireKey(ctx, old)
	if !errors.Is(err, store.ErrKeyInUse) || !strings.Contains(err.Error(), `"alpha"/password`) {
		t.Fatalf("RetireKey = %v, want ErrKeyInUse naming the secrets", err)
	}
	noSecretIn(t, err, passwords)
	checkReadable(t, openHome(t, home), passwords)
}

// failingReplace aborts ReplaceAll after the first record, as a crash or a
// lost connection in the middle of the re-encryption would.
type failingReplace struct{ backend.Backend }

var errInterrupted = errors.New("interrupted")

func (f failingReplace) ReplaceAll(ctx context.Context, fn func(*backend.Record) (*backend.Record, error)) error {
	n := 0
	return f.Backend.ReplaceAll(ctx, func(r *backend.Record) (*backend.Record, error) {
		if n++; n > 1 {
			return nil, errInterrupted
		}
		return fn(r)
	})
}

func TestInterruptedRotationLeavesEverythingReadable(t *testing.T) {
	ctx := context.Background()
	home, passwords := rotationHome(t)
	b, err := sqlite.Open(ctx, filepath.Join(home, store.StoreFileName))
	if err != nil {
		t.Fatal(err)
	}
	st := openHome(t, home, store.WithBackend(failingReplace{b}))
	old := keys(t, st)[0].ID
	_, err = st.RotateKey(ctx)
	if !errors.Is(err, errInterrupted) {
		t.Fatalf("RotateKey = %v, want the interruption", err)
	}
	noSecretIn(t, err, passwords)

	// A new process with the keyset file as the rotation left it.
	fresh := openHome(t, home)
	checkReadable(t, fresh, passwords)
	ks := keys(t, fresh)
	if len(ks) != 2 || primary(t, ks).ID == old || primary(t, ks).Secrets != 0 {
		t.Fatalf("keys after the interruption: %+v (want a new primary sealing nothing yet)", ks)
	}
	if err := fresh.RetireKey(ctx, old); !errors.Is(err, store.ErrKeyInUse) {
		t.Fatalf("retiring the key every secret still uses: %v", err)
	}
	// Running the rotation again finishes the job.
	if _, err := fresh.RotateKey(ctx); err != nil {
		t.Fatal(err)
	}
	if err := fresh.RetireKey(ctx, old); err != nil {
		t.Fatal(err)
	}
	checkReadable(t, openHome(t, home), passwords)
}

func TestOtherProcessPicksUpRotatedKeyset(t *testing.T) {
	ctx := context.Background()
	home, passwords := rotationHome(t)
	a, b := openHome(t, home), openHome(t, home)
	checkReadable(t, b, passwords) // b has loaded the old keyset
	if _, err := a.RotateKey(ctx); err != nil {
		t.Fatal(err)
	}
	checkReadable(t, b, passwords) // b meets the new key and reloads the file
	c := pgConn("delta", "after-rotation-pw")
	if err := b.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys(t, a) {
		if k.Primary && k.Secrets != 4 {
			t.Fatalf("b sealed its new secret with an old key: %+v", keys(t, a))
		}
	}
}

func TestRotateRefusesKeysetItCannotWriteBack(t *testing.T) {
	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := newStore(t, store.WithKeyset(h))
	if err := st.Create(context.Background(), pgConn("x", "pw-in-memory")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RotateKey(context.Background()); !errors.Is(err, store.ErrKeyset) {
		t.Fatalf("RotateKey with an in-memory keyset: %v", err)
	}
	if c, err := st.Get(context.Background(), "x"); err != nil || c.Version != 1 {
		t.Fatalf("a refused rotation changed the store: %v %v", c, err)
	}
	// The library path for such keysets: add a key, publish it, re-encrypt.
	nh, id, err := store.AddPrimaryKey(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Reencrypt(context.Background(), nh); err != nil {
		t.Fatal(err)
	}
	ks := keys(t, st)
	if primary(t, ks).ID != id || primary(t, ks).Secrets != 1 {
		t.Fatalf("after Reencrypt: %+v", ks)
	}
}
