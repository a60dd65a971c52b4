package store

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"

	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/keyset"
)

// sealer encrypts secrets with associated data that binds each ciphertext to
// its connection (name, type, plain fields) and its field name.
type sealer struct{ aead keyset.AEAD }

func newSealer(h *keyset.Keyset) (*sealer, error) {
	a, err := h.AEAD()
	if err != nil {
		return nil, err
	}
	return &sealer{aead: a}, nil
}

// binding is what a sealed secret is bound to: its connection's name and
// type and every plain field. Changing any of them (pointing host at another
// server, say) makes every secret of the record fail to open, so write
// access to a store without the keyset cannot redirect a password. The
// version is not bound: it is a column of the same row, so binding it would
// not stop a writer from restoring an earlier record as a whole (old host
// and the secrets sealed for it), which opens as it did then; README says so.
type binding struct {
	name, typ string
	plain     map[string]string
}

// recordBinding is the binding of a stored record.
func recordBinding(r *backend.Record) binding {
	b := binding{name: r.Name, typ: r.Type, plain: make(map[string]string, len(r.Fields))}
	for k, f := range r.Fields {
		if !f.Secret {
			b.plain[k] = f.Value
		}
	}
	return b
}

// connBinding is the binding c will have once stored.
func connBinding(c *Connection) binding {
	b := binding{name: c.Name, typ: c.Type, plain: make(map[string]string, len(c.Fields))}
	for k, f := range c.Fields {
		if !f.Secret && !f.Ref {
			b.plain[k] = f.Value
		}
	}
	return b
}

// associatedData is "vap/v2" (a secret) or "vap/ref1" (a secret
// reference), then the name, the field, the type and each plain field
// (sorted by name) as name and value, every string length-prefixed so that
// no two bindings share an encoding. The two prefixes differ at their fifth
// byte, before anything variable: a reference's ciphertext never opens as a
// secret nor a secret's as a reference (which show would print).
func (b binding) associatedData(field string, ref bool) []byte {
	out := make([]byte, 0, 64+len(b.name)+len(field))
	put := func(s string) {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	if ref {
		out = append(out, "vap/ref1"...)
	} else {
		out = append(out, "vap/v2"...)
	}
	put(b.name)
	put(field)
	put(b.typ)
	keys := slices.Sorted(maps.Keys(b.plain))
	out = binary.AppendUvarint(out, uint64(len(keys)))
	for _, k := range keys {
		put(k)
		put(b.plain[k])
	}
	return out
}

func (s *sealer) seal(b binding, field, plain string, ref bool) (string, error) {
	ct, err := s.aead.Encrypt([]byte(plain), b.associatedData(field, ref))
	if err != nil {
		return "", fmt.Errorf("%w: encrypt field %q: %v", ErrKeyset, field, err)
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}

func (s *sealer) open(b binding, field, sealed string, ref bool) (string, error) {
	ct, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return "", &DecryptError{Name: b.name, Field: field}
	}
	pt, err := s.aead.Decrypt(ct, b.associatedData(field, ref))
	if err != nil {
		return "", &DecryptError{Name: b.name, Field: field}
	}
	return string(pt), nil
}

// keyID returns a sealed value's ciphertext and the key id its output
// prefix names (keyset.PrefixID). A ciphertext of a RAW key has no prefix:
// its first bytes are nonce, and may look like one, so callers check the
// id and its prefix against the keyset.
func keyID(sealed string) ([]byte, uint32, bool) {
	ct, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return nil, 0, false
	}
	id, ok := keyset.PrefixID(ct)
	return ct, id, ok
}
