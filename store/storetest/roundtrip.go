package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
)

// canary is a password that must never be stored or printed in the clear.
const canary = "canary-Pa55w0rd-7f3c"

// testStoreRoundTrip drives a store.Store over the backend: secrets reach
// the backend only as ciphertext, come back decrypted, and Version follows
// a change made behind the Store's back (through its watch, if any).
func testStoreRoundTrip(t *testing.T, b backend.Backend) {
	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(store.WithBackend(b), store.WithKeyset(h), store.WithRegistry(types), store.WithoutEnvOverrides())
	c := ctx(t)
	conn := &store.Connection{Name: "my-postgres-connection", Type: markerType.Name}
	conn.Set("user_name", "ben", false)
	conn.Set("password", canary, false)
	conn.Set("host", "localhost", false)
	conn.Set("port", "5432", false)
	if err := st.Create(c, conn); err != nil {
		t.Fatal(err)
	}
	r := mustGet(t, b, conn.Name)
	for k, f := range r.Fields {
		if strings.Contains(f.Value, canary) {
			t.Fatalf("field %s reached the backend in the clear", k)
		}
	}
	if !r.Fields["password"].Secret {
		t.Fatal("password not stored as a secret")
	}
	got, err := st.Get(c, conn.Name)
	if err != nil {
		t.Fatal(err)
	}
	if got.Get("password") != canary || got.Get("host") != "localhost" {
		t.Fatalf("Get = %v", got)
	}
	if v, err := st.Version(c, conn.Name); err != nil || v != 1 {
		t.Fatalf("Version = %d, %v", v, err)
	}
	// Change the record behind the Store's back, as another process would.
	r.Version = 1
	if err := b.Update(c, r); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, err := st.Version(c, conn.Name)
		if err != nil {
			t.Fatal(err)
		}
		if v == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Version still %d 30s after another writer committed version 2", v)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := st.Delete(c, conn.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Version(c, conn.Name); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Version after Delete: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}
