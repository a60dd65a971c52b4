package store

import "github.com/vapsql/vap/store/keyset"

// KeysetFileName is the keyset's file name inside VAP_HOME.
const KeysetFileName = "keyset.json"

// NewKeyset returns a fresh AES-256-GCM keyset, for WithKeyset. It is
// keyset.New.
func NewKeyset() (*keyset.Keyset, error) { return keyset.New() }

// AddPrimaryKey returns a copy of h with a new AES-256-GCM key as its
// primary, and the new key's id. h is not changed. It is keyset.AddPrimary.
func AddPrimaryKey(h *keyset.Keyset) (*keyset.Keyset, uint32, error) {
	return keyset.AddPrimary(h)
}

// WrapKeyset encrypts h with kek, a key-encryption key held by a KMS (any
// keyset.AEAD, Tink's tink.AEAD among them), as a Tink encrypted-keyset
// JSON. It is keyset.Wrap, which
// lists Tink's KMS integrations.
func WrapKeyset(h *keyset.Keyset, kek keyset.AEAD) ([]byte, error) { return keyset.Wrap(h, kek) }

// UnwrapKeyset decrypts a keyset WrapKeyset made, with the same kek, for
// WithKeyset. It is keyset.Unwrap.
func UnwrapKeyset(data []byte, kek keyset.AEAD) (*keyset.Keyset, error) {
	return keyset.Unwrap(data, kek)
}
