package store_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/keyset"
)

// handmade is a one-key keyset in Tink's JSON form, of a kind vap never
// generates: key type typeURL (material: a 32-byte AES-GCM key's proto),
// output prefix type prefix (TINK, LEGACY, RAW, CRUNCHY). What Tink writes
// is this form (internal/tinkcompat holds store/keyset to it).
func handmade(t *testing.T, typeURL, prefix string) *keyset.Keyset {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	id := mrand.Uint32N(1<<31) + 1
	data := fmt.Sprintf(`{"primaryKeyId":%d,"key":[{"keyData":{"typeUrl":%q,"value":%q,"keyMaterialType":"SYMMETRIC"},"status":"ENABLED","keyId":%d,"outputPrefixType":%q}]}`,
		id, typeURL, base64.StdEncoding.EncodeToString(append([]byte{0x1a, 32}, key...)), id, prefix)
	k, err := keyset.Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// homeWithKeyset is a home whose keyset file holds h.
func homeWithKeyset(t *testing.T, h *keyset.Keyset) string {
	t.Helper()
	home := t.TempDir()
	if err := keyset.Write(filepath.Join(home, store.KeysetFileName), h); err != nil {
		t.Fatal(err)
	}
	return home
}

// TestRetireRefusedForUnprefixedKeys: a key whose ciphertexts carry no Tink
// key-id prefix (RAW, as in an imported keyset) or the LEGACY prefix is not
// retired while a secret opens only with it; keys list counts its secrets.
func TestRetireRefusedForUnprefixedKeys(t *testing.T) {
	ctx := context.Background()
	for _, prefix := range []string{"RAW", "LEGACY"} {
		t.Run(prefix, func(t *testing.T) {
			h := handmade(t, keyset.AESGCMKeyType, prefix)
			old := h.Primary()
			home := homeWithKeyset(t, h)
			st := openHome(t, home)
			for _, n := range []string{"one", "two"} {
				if err := st.Create(ctx, pgConn(n, "pw-"+n)); err != nil {
					t.Fatal(err)
				}
			}
			for _, k := range keys(t, st) {
				if k.ID == old && k.Secrets != 2 {
					t.Errorf("keys list counts %d secrets for the %s key, want 2", k.Secrets, prefix)
				}
			}
			nh, _, err := store.AddPrimaryKey(h) // not re-encrypted: both still need old
			if err != nil {
				t.Fatal(err)
			}
			if err := keyset.Write(filepath.Join(home, store.KeysetFileName), nh); err != nil {
				t.Fatal(err)
			}
			if err := st.RetireKey(ctx, old); !errors.Is(err, store.ErrKeyInUse) {
				t.Fatalf("retire of a %s key two secrets need: %v, want ErrKeyInUse", prefix, err)
			}
			checkReadable(t, openHome(t, home), map[string]string{"one": "pw-one", "two": "pw-two"})
		})
	}
}

// TestKeysListCountsMissingKeys: secrets sealed with keys the keyset does
// not have are listed (status Missing), not silently left out.
func TestKeysListCountsMissingKeys(t *testing.T) {
	ctx := context.Background()
	home, _ := rotationHome(t)
	lost := keys(t, openHome(t, home))[0].ID
	h, err := keyset.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := keyset.Write(filepath.Join(home, store.KeysetFileName), h); err != nil {
		t.Fatal(err)
	}
	ks, err := openHome(t, home).Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, k := range ks {
		if k.ID == lost {
			found = true
			if k.Secrets != 3 || k.Status != "Missing" {
				t.Errorf("lost key listed as %+v, want 3 secrets, status Missing", k)
			}
		}
	}
	if !found {
		t.Fatalf("keys list %+v leaves out the key 3 secrets are sealed with", ks)
	}
}

// TestOnlyAESGCMKeysets: a keyset holding a key of another type is refused
// when loaded, naming the type.
func TestOnlyAESGCMKeysets(t *testing.T) {
	ctx := context.Background()
	for name, typeURL := range map[string]string{"ChaCha20Poly1305": "type.googleapis.com/google.crypto.tink.ChaCha20Poly1305Key", "HMAC": "type.googleapis.com/google.crypto.tink.HmacKey"} {
		t.Run(name, func(t *testing.T) {
			home := homeWithKeyset(t, handmade(t, typeURL, "TINK"))
			st := openHome(t, home)
			c := &store.Connection{Name: "c", Type: "sqlite"}
			c.Set("path", "/x", false)
			if err := st.Create(ctx, c); !errors.Is(err, store.ErrKeyset) || !strings.Contains(err.Error(), "AES-GCM") {
				t.Fatalf("create with a %s keyset: %v, want ErrKeyset naming AES-GCM", name, err)
			}
			if _, err := os.Stat(filepath.Join(home, store.StoreFileName)); err == nil {
				t.Log("store file exists (created before the keyset was refused)")
			}
		})
	}
}
