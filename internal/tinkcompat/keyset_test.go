package tinkcompat_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/insecurecleartextkeyset"
	tinkkeyset "github.com/tink-crypto/tink-go/v2/keyset"
	tinkpb "github.com/tink-crypto/tink-go/v2/proto/tink_go_proto"
	"github.com/tink-crypto/tink-go/v2/tink"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/vapsql/vap/store/keyset"
)

// These tests hold vap's own keyset code to Tink's (a test-only
// dependency): keysets, ciphertexts and wrapped keysets made by either are
// read by the other, byte for byte.

// tinkJSON writes h as Tink's cleartext JSON.
func tinkJSON(t *testing.T, h *tinkkeyset.Handle) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := insecurecleartextkeyset.Write(h, tinkkeyset.NewJSONWriter(&buf)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tinkHandle reads cleartext JSON with Tink.
func tinkHandle(t *testing.T, data []byte) *tinkkeyset.Handle {
	t.Helper()
	h, err := insecurecleartextkeyset.Read(tinkkeyset.NewJSONReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatalf("Tink does not read the keyset: %v", err)
	}
	return h
}

func tinkAEAD(t *testing.T, h *tinkkeyset.Handle) tink.AEAD {
	t.Helper()
	a, err := aead.New(h)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// sameKeys checks that k describes the keys Tink sees in h.
func sameKeys(t *testing.T, k *keyset.Keyset, h *tinkkeyset.Handle) {
	t.Helper()
	info := h.KeysetInfo()
	if k.Primary() != info.GetPrimaryKeyId() {
		t.Fatalf("primary %d, Tink says %d", k.Primary(), info.GetPrimaryKeyId())
	}
	var want []keyset.Key
	for _, ki := range info.GetKeyInfo() {
		want = append(want, keyset.Key{ID: ki.GetKeyId(), Status: keyset.Status(ki.GetStatus()), Prefix: keyset.Prefix(ki.GetOutputPrefixType()),
			TypeURL: ki.GetTypeUrl(), Primary: ki.GetKeyId() == info.GetPrimaryKeyId()})
	}
	if got := k.Keys(); !slices.Equal(got, want) {
		t.Fatalf("keys %v, Tink says %v", got, want)
	}
}

// interoperate seals with each side and opens with the other, and checks
// that a wrong associated data or a changed byte opens on neither.
func interoperate(t *testing.T, ours keyset.AEAD, theirs tink.AEAD) {
	t.Helper()
	for _, pt := range [][]byte{[]byte("s3cr3t password"), {}, bytes.Repeat([]byte{0xA5}, 4096)} {
		ad := []byte("vap/v2\x04name")
		for dir, pair := range map[string][2]keyset.AEAD{"vap→Tink": {ours, theirs}, "Tink→vap": {theirs, ours}} {
			ct, err := pair[0].Encrypt(pt, ad)
			if err != nil {
				t.Fatalf("%s: encrypt: %v", dir, err)
			}
			got, err := pair[1].Decrypt(ct, ad)
			if err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("%s: %d-byte plaintext does not open (%v)", dir, len(pt), err)
			}
			if _, err := pair[1].Decrypt(ct, []byte("vap/v2\x04nami")); err == nil {
				t.Fatalf("%s: opens under other associated data", dir)
			}
			bad := slices.Clone(ct)
			bad[len(bad)-1] ^= 1
			if _, err := pair[1].Decrypt(bad, ad); err == nil {
				t.Fatalf("%s: an altered ciphertext opens", dir)
			}
		}
	}
}

func TestTinkReadsOurKeysets(t *testing.T) {
	k, err := keyset.New()
	if err != nil {
		t.Fatal(err)
	}
	old := k.Primary()
	if k, _, err = keyset.AddPrimary(k); err != nil {
		t.Fatal(err)
	}
	if k, _, err = keyset.Add(k); err != nil {
		t.Fatal(err)
	}
	data, err := keyset.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	h := tinkHandle(t, data)
	sameKeys(t, k, h)
	for _, e := range k.Keys() {
		if e.Status != keyset.Enabled || e.Prefix != keyset.PrefixTink || e.TypeURL != keyset.AESGCMKeyType {
			t.Fatalf("a new key is %v", e)
		}
	}
	ours, err := k.AEAD()
	if err != nil {
		t.Fatal(err)
	}
	interoperate(t, ours, tinkAEAD(t, h))

	// The old primary's ciphertexts still open on both sides.
	kOld, err := keyset.SetPrimary(k, old)
	if err != nil {
		t.Fatal(err)
	}
	oldAEAD, _ := kOld.AEAD()
	ct, _ := oldAEAD.Encrypt([]byte("x"), nil)
	if _, err := tinkAEAD(t, h).Decrypt(ct, nil); err != nil {
		t.Fatalf("Tink does not open the old key's ciphertext: %v", err)
	}
	if _, err := ours.Decrypt(ct, nil); err != nil {
		t.Fatalf("vap does not open the old key's ciphertext: %v", err)
	}
}

// tinkKeyset builds, with Tink's manager, a keyset of every AES-GCM
// variant an imported keyset may hold: 128- and 256-bit keys with TINK,
// LEGACY, CRUNCHY and RAW prefixes, one disabled.
func tinkKeyset(t *testing.T) (*tinkkeyset.Handle, []uint32) {
	t.Helper()
	m := tinkkeyset.NewManager()
	var ids []uint32
	for _, tmpl := range []*tinkpb.KeyTemplate{
		aead.AES256GCMKeyTemplate(), aead.AES128GCMKeyTemplate(), aead.AES256GCMNoPrefixKeyTemplate(),
		withPrefix(aead.AES128GCMKeyTemplate(), tinkpb.OutputPrefixType_LEGACY),
		withPrefix(aead.AES256GCMKeyTemplate(), tinkpb.OutputPrefixType_CRUNCHY),
		aead.AES256GCMKeyTemplate(),
	} {
		id, err := m.Add(tmpl)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := m.SetPrimary(ids[0]); err != nil {
		t.Fatal(err)
	}
	if err := m.Disable(ids[5]); err != nil {
		t.Fatal(err)
	}
	h, err := m.Handle()
	if err != nil {
		t.Fatal(err)
	}
	return h, ids[:5]
}

func withPrefix(tmpl *tinkpb.KeyTemplate, p tinkpb.OutputPrefixType) *tinkpb.KeyTemplate {
	tmpl.OutputPrefixType = p
	return tmpl
}

func TestWeReadTinkKeysets(t *testing.T) {
	h, enabled := tinkKeyset(t)
	data := tinkJSON(t, h)
	k, err := keyset.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, k, h)
	// What vap writes back is what Tink reads as the same keyset.
	out, err := keyset.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, k, tinkHandle(t, out))

	// Every enabled key as the primary, on both sides: each prefix and
	// key size seals and opens alike.
	for _, id := range enabled {
		m := tinkkeyset.NewManagerFromHandle(h)
		if err := m.SetPrimary(id); err != nil {
			t.Fatal(err)
		}
		th, err := m.Handle()
		if err != nil {
			t.Fatal(err)
		}
		kp, err := keyset.SetPrimary(k, id)
		if err != nil {
			t.Fatal(err)
		}
		ours, err := kp.AEAD()
		if err != nil {
			t.Fatal(err)
		}
		interoperate(t, ours, tinkAEAD(t, th))
		// A ciphertext Tink made with this key opens with vap's full
		// keyset whatever its primary.
		ct, _ := tinkAEAD(t, th).Encrypt([]byte("p"), []byte("ad"))
		full, _ := k.AEAD()
		if pt, err := full.Decrypt(ct, []byte("ad")); err != nil || string(pt) != "p" {
			t.Fatalf("key %d: vap's keyset does not open Tink's ciphertext: %v", id, err)
		}
	}

	// The disabled key seals nothing and opens nothing.
	if _, err := keyset.SetPrimary(k, k.Keys()[5].ID); err == nil {
		t.Fatal("a disabled key became the primary")
	}
}

func TestProtoJSONVariants(t *testing.T) {
	h, _ := tinkKeyset(t)
	ks := insecurecleartextkeyset.KeysetMaterial(h)
	want, err := keyset.Parse(tinkJSON(t, h))
	if err != nil {
		t.Fatal(err)
	}
	for name, opts := range map[string]protojson.MarshalOptions{
		"proto names":  {UseProtoNames: true},
		"enum numbers": {UseEnumNumbers: true},
		"indented":     {Multiline: true, Indent: "  ", EmitUnpopulated: true},
	} {
		b, err := opts.Marshal(ks)
		if err != nil {
			t.Fatal(err)
		}
		k, err := keyset.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(k.Keys(), want.Keys()) || k.Primary() != want.Primary() {
			t.Fatalf("%s: read %v, want %v", name, k, want)
		}
	}
}

func TestParseRefusesWhatTinkRefuses(t *testing.T) {
	h, _ := tinkKeyset(t)
	good := string(tinkJSON(t, h))
	ks := insecurecleartextkeyset.KeysetMaterial(h)
	primary := ks.GetPrimaryKeyId()
	cases := map[string]func(*tinkpb.Keyset){
		"no keys":            func(k *tinkpb.Keyset) { k.Key = nil },
		"disabled primary":   func(k *tinkpb.Keyset) { k.Key[0].Status = tinkpb.KeyStatusType_DISABLED },
		"absent primary":     func(k *tinkpb.Keyset) { k.PrimaryKeyId = primary + 1 },
		"duplicate key id":   func(k *tinkpb.Keyset) { k.Key[1].KeyId = k.Key[0].KeyId },
		"no key data":        func(k *tinkpb.Keyset) { k.Key[1].KeyData = nil },
		"unknown status":     func(k *tinkpb.Keyset) { k.Key[1].Status = tinkpb.KeyStatusType_UNKNOWN_STATUS },
		"unknown prefix":     func(k *tinkpb.Keyset) { k.Key[1].OutputPrefixType = tinkpb.OutputPrefixType_UNKNOWN_PREFIX },
		"20-byte AES key":    func(k *tinkpb.Keyset) { k.Key[1].KeyData.Value = append([]byte{0x1a, 20}, make([]byte, 20)...) },
		"key version 1":      func(k *tinkpb.Keyset) { k.Key[1].KeyData.Value = append([]byte{0x08, 1}, k.Key[1].KeyData.Value...) },
		"malformed material": func(k *tinkpb.Keyset) { k.Key[1].KeyData.Value = []byte{0x1a, 40, 1} },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			k := insecurecleartextkeyset.KeysetMaterial(h)
			mutate(k)
			b, err := protojson.Marshal(k)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := insecurecleartextkeyset.Read(tinkkeyset.NewJSONReader(bytes.NewReader(b))); err == nil {
				t.Fatalf("Tink reads it; the case is wrong")
			}
			_, err = keyset.Parse(b)
			if !errors.Is(err, keyset.ErrKeyset) {
				t.Fatalf("Parse: %v, want ErrKeyset", err)
			}
		})
	}
	for name, data := range map[string]string{
		"unknown field":  strings.Replace(good, `"primaryKeyId"`, `"primaryKeyID"`, 1),
		"repeated field": strings.Replace(good, `{"primaryKeyId"`, `{"primary_key_id":1,"primaryKeyId"`, 1),
		"trailing data":  good + "{}",
		"not JSON":       "primaryKeyId",
	} {
		if _, err := keyset.Parse([]byte(data)); !errors.Is(err, keyset.ErrKeyset) {
			t.Errorf("%s: Parse: %v, want ErrKeyset", name, err)
		}
	}
}

func TestWrapInteroperates(t *testing.T) {
	kh, err := tinkkeyset.NewHandle(aead.AES256GCMKeyTemplate()) // stands for a KMS key
	if err != nil {
		t.Fatal(err)
	}
	kek := tinkAEAD(t, kh)
	h, _ := tinkKeyset(t)

	// Tink wraps (as vap did before it had its own code), vap unwraps.
	var buf bytes.Buffer
	if err := h.WriteWithAssociatedData(tinkkeyset.NewJSONWriter(&buf), kek, []byte("vap/keyset/v1")); err != nil {
		t.Fatal(err)
	}
	k, err := keyset.Unwrap(buf.Bytes(), kek)
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, k, h)
	ours, err := k.AEAD()
	if err != nil {
		t.Fatal(err)
	}
	interoperate(t, ours, tinkAEAD(t, h))

	// vap wraps, Tink unwraps.
	data, err := keyset.Wrap(k, kek)
	if err != nil {
		t.Fatal(err)
	}
	th, err := tinkkeyset.ReadWithAssociatedData(tinkkeyset.NewJSONReader(bytes.NewReader(data)), kek, []byte("vap/keyset/v1"))
	if err != nil {
		t.Fatalf("Tink does not unwrap vap's wrapped keyset: %v", err)
	}
	sameKeys(t, k, th)

	// Other associated data, another kek, an altered byte: refused.
	buf.Reset()
	if err := h.WriteWithAssociatedData(tinkkeyset.NewJSONWriter(&buf), kek, []byte("other")); err != nil {
		t.Fatal(err)
	}
	if _, err := keyset.Unwrap(buf.Bytes(), kek); !errors.Is(err, keyset.ErrKeyset) {
		t.Fatalf("unwrapped a keyset wrapped for another purpose: %v", err)
	}
	other, _ := tinkkeyset.NewHandle(aead.AES256GCMKeyTemplate())
	if _, err := keyset.Unwrap(data, tinkAEAD(t, other)); !errors.Is(err, keyset.ErrKeyset) {
		t.Fatalf("unwrapped with another kek: %v", err)
	}
	if strings.Contains(k.String(), "material") || strings.Contains(k.GoString(), "GiA") {
		t.Fatalf("a keyset prints key material: %s", k)
	}
}
