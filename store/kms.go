package store

import (
	"bytes"
	"fmt"

	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/tink"
)

// keysetAssociatedData binds a wrapped keyset to vap: a blob wrapped for
// another purpose with the same KMS key does not unwrap as a vap keyset.
var keysetAssociatedData = []byte("vap/keyset/v1")

// WrapKeyset encrypts h with kek, a key-encryption key held by a KMS, as a
// Tink encrypted-keyset JSON: the keyset's key material never touches the
// disk in the clear, and reading it needs the KMS. Any tink.AEAD works as
// kek; Tink's KMS integrations return one from their client's GetAEAD:
//
//	github.com/tink-crypto/tink-go-hcvault/v2/integration/hcvault  hcvault://HOST/transit/keys/NAME
//	github.com/tink-crypto/tink-go-awskms/v2/integration/awskms    aws-kms://arn:aws:kms:…
//	github.com/tink-crypto/tink-go-gcpkms/v2/integration/gcpkms    gcp-kms://projects/…/cryptoKeys/…
//
// Hand the unwrapped handle to the store with WithKeyset. To rotate such a
// keyset, AddPrimaryKey, WrapKeyset and publish the result, then Reencrypt.
func WrapKeyset(h *keyset.Handle, kek tink.AEAD) ([]byte, error) {
	var buf bytes.Buffer
	if err := h.WriteWithAssociatedData(keyset.NewJSONWriter(&buf), kek, keysetAssociatedData); err != nil {
		return nil, fmt.Errorf("%w: wrap with the key-encryption key: %v", ErrKeyset, err)
	}
	return buf.Bytes(), nil
}

// UnwrapKeyset decrypts a keyset WrapKeyset made, with the same kek. A wrong
// kek, a KMS that refuses, or altered data all fail with ErrKeyset.
func UnwrapKeyset(data []byte, kek tink.AEAD) (*keyset.Handle, error) {
	h, err := keyset.ReadWithAssociatedData(keyset.NewJSONReader(bytes.NewReader(data)), kek, keysetAssociatedData)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot unwrap the keyset with the key-encryption key (wrong KMS key, KMS unreachable or refusing, or altered data)", ErrKeyset)
	}
	return h, nil
}
