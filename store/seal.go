package store

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/tink"
)

// sealer encrypts secrets with associated data that binds each ciphertext to
// its connection name and field name.
type sealer struct{ aead tink.AEAD }

func newSealer(h *keyset.Handle) (*sealer, error) {
	a, err := aead.New(h)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	return &sealer{aead: a}, nil
}

// associatedData is "vap/v1", then the name and the field, each length-prefixed
// so that no two (name, field) pairs share an encoding.
func associatedData(name, field string) []byte {
	b := make([]byte, 0, 16+len(name)+len(field))
	b = append(b, "vap/v1"...)
	b = binary.AppendUvarint(b, uint64(len(name)))
	b = append(b, name...)
	b = binary.AppendUvarint(b, uint64(len(field)))
	b = append(b, field...)
	return b
}

func (s *sealer) seal(name, field, plain string) (string, error) {
	ct, err := s.aead.Encrypt([]byte(plain), associatedData(name, field))
	if err != nil {
		return "", fmt.Errorf("%w: encrypt field %q: %v", ErrKeyset, field, err)
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}

func (s *sealer) open(name, field, sealed string) (string, error) {
	ct, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return "", &DecryptError{Name: name, Field: field}
	}
	pt, err := s.aead.Decrypt(ct, associatedData(name, field))
	if err != nil {
		return "", &DecryptError{Name: name, Field: field}
	}
	return string(pt), nil
}

// keyID returns the Tink key id a sealed value was made with (its 5-byte
// output prefix), for rotation bookkeeping.
func keyID(sealed string) (uint32, bool) {
	ct, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(ct) < 5 || ct[0] != 1 {
		return 0, false
	}
	return binary.BigEndian.Uint32(ct[1:5]), true
}
