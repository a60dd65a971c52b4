package store

import (
	tinkkeyset "github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/vapsql/vap/store/keyset"
)

// KeysetFileName is the keyset's file name inside VAP_HOME.
const KeysetFileName = "keyset.json"

// NewKeyset returns a fresh AES-256-GCM keyset handle, for WithKeyset. It is
// keyset.New.
func NewKeyset() (*tinkkeyset.Handle, error) { return keyset.New() }

// AddPrimaryKey returns a copy of h with a new AES-256-GCM key as its
// primary, and the new key's id. h is not changed. It is keyset.AddPrimary.
func AddPrimaryKey(h *tinkkeyset.Handle) (*tinkkeyset.Handle, uint32, error) {
	return keyset.AddPrimary(h)
}

// WrapKeyset encrypts h with kek, a key-encryption key held by a KMS (any
// tink.AEAD), as a Tink encrypted-keyset JSON. It is keyset.Wrap, which
// lists Tink's KMS integrations.
func WrapKeyset(h *tinkkeyset.Handle, kek tink.AEAD) ([]byte, error) { return keyset.Wrap(h, kek) }

// UnwrapKeyset decrypts a keyset WrapKeyset made, with the same kek, for
// WithKeyset. It is keyset.Unwrap.
func UnwrapKeyset(data []byte, kek tink.AEAD) (*tinkkeyset.Handle, error) {
	return keyset.Unwrap(data, kek)
}
