package keyset

import (
	"bytes"
	"fmt"

	tinkkeyset "github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/tink"
)

// keysetAssociatedData binds a wrapped keyset to vap: a blob wrapped for
// another purpose with the same KMS key does not unwrap as a vap keyset.
var keysetAssociatedData = []byte("vap/keyset/v1")

// Wrap encrypts h with kek, a key-encryption key held by a KMS, as a
// Tink encrypted-keyset JSON: the keyset's key material never touches the
// disk in the clear, and reading it needs the KMS. Any tink.AEAD works as
// kek; Tink's KMS integrations return one from their client's GetAEAD:
//
//	github.com/tink-crypto/tink-go-hcvault/v2/integration/hcvault  hcvault://HOST/transit/keys/NAME
//	github.com/tink-crypto/tink-go-awskms/v2/integration/awskms    aws-kms://arn:aws:kms:…
//	github.com/tink-crypto/tink-go-gcpkms/v2/integration/gcpkms    gcp-kms://projects/…/cryptoKeys/…
//
// Hand the unwrapped handle to the store with store.WithKeyset. To rotate
// such a keyset, AddPrimary, Wrap and publish the result, then
// store.Store.Reencrypt.
func Wrap(h *tinkkeyset.Handle, kek tink.AEAD) ([]byte, error) {
	var buf bytes.Buffer
	if err := h.WriteWithAssociatedData(tinkkeyset.NewJSONWriter(&buf), kek, keysetAssociatedData); err != nil {
		return nil, fmt.Errorf("%w: wrap with the key-encryption key: %v", ErrKeyset, err)
	}
	return buf.Bytes(), nil
}

// Unwrap decrypts a keyset Wrap made, with the same kek. A wrong
// kek, a KMS that refuses, or altered data all fail with ErrKeyset.
func Unwrap(data []byte, kek tink.AEAD) (*tinkkeyset.Handle, error) {
	h, err := tinkkeyset.ReadWithAssociatedData(tinkkeyset.NewJSONReader(bytes.NewReader(data)), kek, keysetAssociatedData)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot unwrap the keyset with the key-encryption key (wrong KMS key, KMS unreachable or refusing, or altered data)", ErrKeyset)
	}
	return h, nil
}
