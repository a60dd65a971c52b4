package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/insecurecleartextkeyset"
	tinkkeyset "github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/mac"
	tinkpb "github.com/tink-crypto/tink-go/v2/proto/tink_go_proto"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/keyset"
)

// fromTink is the keyset Tink's handle h holds, as vap reads it from
// Tink's JSON: these tests make keysets of kinds vap never generates.
func fromTink(t *testing.T, h *tinkkeyset.Handle) *keyset.Keyset {
	t.Helper()
	var buf bytes.Buffer
	if err := insecurecleartextkeyset.Write(h, tinkkeyset.NewJSONWriter(&buf)); err != nil {
		t.Fatal(err)
	}
	k, err := keyset.Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// homeWithKeyset is a home whose keyset file holds h.
func homeWithKeyset(t *testing.T, h *tinkkeyset.Handle) string {
	t.Helper()
	home := t.TempDir()
	if err := keyset.Write(filepath.Join(home, store.KeysetFileName), fromTink(t, h)); err != nil {
		t.Fatal(err)
	}
	return home
}

// TestRetireRefusedForUnprefixedKeys: a key whose ciphertexts carry no Tink
// key-id prefix (RAW, as in an imported keyset) or the LEGACY prefix is not
// retired while a secret opens only with it; keys list counts its secrets.
func TestRetireRefusedForUnprefixedKeys(t *testing.T) {
	ctx := context.Background()
	for _, prefix := range []tinkpb.OutputPrefixType{tinkpb.OutputPrefixType_RAW, tinkpb.OutputPrefixType_LEGACY} {
		t.Run(prefix.String(), func(t *testing.T) {
			tmpl := aead.AES256GCMKeyTemplate()
			tmpl.OutputPrefixType = prefix
			h, err := tinkkeyset.NewHandle(tmpl)
			if err != nil {
				t.Fatal(err)
			}
			old := h.KeysetInfo().GetPrimaryKeyId()
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
			nh, _, err := store.AddPrimaryKey(fromTink(t, h)) // not re-encrypted: both still need old
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
	for name, tmpl := range map[string]*tinkpb.KeyTemplate{"ChaCha20Poly1305": aead.ChaCha20Poly1305KeyTemplate(), "HMAC": mac.HMACSHA256Tag256KeyTemplate()} {
		t.Run(name, func(t *testing.T) {
			h, err := tinkkeyset.NewHandle(tmpl)
			if err != nil {
				t.Fatal(err)
			}
			home := homeWithKeyset(t, h)
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
