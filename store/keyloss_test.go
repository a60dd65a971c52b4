package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
)

// TestMissingKeysetRefusedWhenStoreHasSecrets: a keyset file that went
// missing beside a store holding sealed secrets is not replaced by a fresh
// key (old secrets unreadable, new ones sealed with a key nobody else
// has): writes and reads fail naming the keyset file, and none is created.
func TestMissingKeysetRefusedWhenStoreHasSecrets(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	st := openHome(t, home)
	if err := st.Create(ctx, pgConn("sealed", "pw-before-loss")); err != nil {
		t.Fatal(err)
	}
	st.Close()
	ks := filepath.Join(home, store.KeysetFileName)
	if err := os.Remove(ks); err != nil {
		t.Fatal(err)
	}
	st = openHome(t, home)
	err := st.Create(ctx, pgConn("after", "pw-after-loss"))
	if !errors.Is(err, store.ErrKeyset) || !strings.Contains(err.Error(), ks) {
		t.Fatalf("create with the keyset missing: %v, want ErrKeyset naming %s", err, ks)
	}
	if _, err := st.Get(ctx, "sealed"); !errors.Is(err, store.ErrKeyset) || !strings.Contains(err.Error(), ks) {
		t.Fatalf("get with the keyset missing: %v, want ErrKeyset naming %s", err, ks)
	}
	if _, err := os.Stat(ks); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a keyset file was created: %v", err)
	}
	// Connections without secrets stay listable and readable.
	if cs, err := st.List(ctx); err != nil || len(cs) != 1 {
		t.Fatalf("list: %v %v", cs, err)
	}
}

// TestReadsCreateNothing: reading (List, Get, Resolve, Version, Keys) never
// creates a store, a directory or a keyset. Without any store, the default
// location reads as empty; a store path given explicitly that does not
// exist is an error naming it.
func TestReadsCreateNothing(t *testing.T) {
	ctx := context.Background()
	home := filepath.Join(t.TempDir(), "home")
	st := openHome(t, home)
	if cs, err := st.List(ctx); err != nil || len(cs) != 0 {
		t.Fatalf("List without a store: %v %v, want none", cs, err)
	}
	if _, err := st.Get(ctx, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get without a store: %v, want ErrNotFound", err)
	}
	if _, err := st.Resolve(ctx, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Resolve without a store: %v, want ErrNotFound", err)
	}
	if _, err := st.Version(ctx, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Version without a store: %v, want ErrNotFound", err)
	}
	if _, err := st.Keys(ctx); err == nil {
		t.Fatal("Keys without a keyset succeeded")
	}
	if _, err := os.Stat(home); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("reads created the home directory: %v", err)
	}

	typo := filepath.Join(t.TempDir(), "stroe.db")
	st = openHome(t, home, store.WithURL(typo))
	for _, read := range []func() error{
		func() error { _, err := st.List(ctx); return err },
		func() error { _, err := st.Get(ctx, "x"); return err },
	} {
		if err := read(); !errors.Is(err, store.ErrNoStore) || !strings.Contains(err.Error(), typo) {
			t.Errorf("read of a mistyped store path: %v, want ErrNoStore naming it", err)
		}
	}
	if _, err := os.Stat(typo); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a read created the store file: %v", err)
	}
	if _, err := os.Stat(home); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a read created the home directory: %v", err)
	}
}
