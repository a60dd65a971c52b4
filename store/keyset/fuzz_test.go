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
