package keyset

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// FuzzParse: any bytes parse or fail without panic; an error never holds
// the input (key material); a keyset that parses marshals and parses back
// to the same keys.
func FuzzParse(f *testing.F) {
	h, err := New()
	if err != nil {
		f.Fatal(err)
	}
	good, err := Marshal(h)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"primaryKeyId":1,"key":[]}`))
	f.Add([]byte(`{"primaryKeyId":1,"key":[{"keyData":{"typeUrl":"type.googleapis.com/google.crypto.tink.AesGcmKey","value":"AAAA","keyMaterialType":"SYMMETRIC"},"status":"ENABLED","keyId":1,"outputPrefixType":"RAW"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := Parse(data)
		if err != nil {
			if len(data) >= 8 && strings.Contains(err.Error(), string(data)) {
				t.Fatalf("error holds the input: %v", err)
			}
			return
		}
		out, err := Marshal(h)
		if err != nil {
			return
		}
		h2, err := Parse(out)
		if err != nil {
			t.Fatalf("a parsed keyset does not parse back: %v", err)
		}
		out2, err := Marshal(h2)
		if err != nil {
			t.Fatal(err)
		}
		if h.Primary() != h2.Primary() || !slices.Equal(h.Keys(), h2.Keys()) || !bytes.Equal(out, out2) {
			t.Fatal("round trip changed the keyset")
		}
	})
}

// FuzzUnwrapped: any bytes as the plaintext of an encrypted keyset (what a
// KMS returns) parse or fail without panic, and one that validates
// serializes back to the same keys.
func FuzzUnwrapped(f *testing.F) {
	k, err := New()
	if err != nil {
		f.Fatal(err)
	}
	k, _, _ = Add(k)
	f.Add(k.marshalBinary())
	f.Add([]byte{0x08, 0x01, 0x12, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := parseBinary(data)
		if err != nil || k.validate() != nil {
			return
		}
		k2, err := parseBinary(k.marshalBinary())
		if err != nil || k2.validate() != nil {
			t.Fatalf("a valid keyset does not serialize back: %v", err)
		}
		if k.Primary() != k2.Primary() || !slices.Equal(k.Keys(), k2.Keys()) {
			t.Fatal("round trip changed the keyset")
		}
	})
}

// TestDecryptShortOrForeign: ciphertexts of every length up to a nonce and
// a tag, and prefixes of other keys, fail to open without panic.
func TestDecryptShortOrForeign(t *testing.T) {
	k, err := New()
	if err != nil {
		t.Fatal(err)
	}
	a, err := k.AEAD()
	if err != nil {
		t.Fatal(err)
	}
	ct, err := a.Encrypt([]byte("pw"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(ct) {
		if _, err := a.Decrypt(ct[:n], nil); err == nil {
			t.Fatalf("a %d-byte prefix of a ciphertext opens", n)
		}
	}
	other := slices.Clone(ct)
	other[4] ^= 1 // another key id
	if _, err := a.Decrypt(other, nil); err == nil {
		t.Fatal("a ciphertext naming another key opens")
	}
	if pt, err := a.Decrypt(ct, nil); err != nil || string(pt) != "pw" {
		t.Fatalf("the ciphertext itself: %q, %v", pt, err)
	}
}
