package keyset

import "fmt"

// keysetAssociatedData binds a wrapped keyset to vap: a blob wrapped for
// another purpose with the same KMS key does not unwrap as a vap keyset.
var keysetAssociatedData = []byte("vap/keyset/v1")

// Wrap encrypts k with kek, a key-encryption key held by a KMS, as a Tink
// encrypted-keyset JSON: the keyset's key material never touches the disk
// in the clear, and reading it needs the KMS. Any [AEAD] works as kek,
// Tink's tink.AEAD among them; Tink's KMS integrations return one from
// their client's GetAEAD:
//
//	github.com/tink-crypto/tink-go-hcvault/v2/integration/hcvault  hcvault://HOST/transit/keys/NAME
//	github.com/tink-crypto/tink-go-awskms/v2/integration/awskms    aws-kms://arn:aws:kms:…
//	github.com/tink-crypto/tink-go-gcpkms/v2/integration/gcpkms    gcp-kms://projects/…/cryptoKeys/…
//
// Hand the unwrapped keyset to the store with store.WithKeyset. To rotate
// such a keyset, AddPrimary, Wrap and publish the result, then
// store.Store.Reencrypt.
func Wrap(k *Keyset, kek AEAD) ([]byte, error) {
	ct, err := kek.Encrypt(k.marshalBinary(), keysetAssociatedData)
	if err != nil {
		return nil, fmt.Errorf("%w: wrap with the key-encryption key: %v", ErrKeyset, err)
	}
	b, err := k.marshalWrapped(ct)
	if err != nil {
		return nil, fmt.Errorf("%w: wrap: %v", ErrKeyset, err)
	}
	return b, nil
}

// Unwrap decrypts a keyset Wrap (or Tink's
// keyset.Handle.WriteWithAssociatedData with vap's associated data) made,
// with the same kek. A wrong kek, a KMS that refuses, or altered data all
// fail with ErrKeyset.
func Unwrap(data []byte, kek AEAD) (*Keyset, error) {
	ct, err := parseWrapped(data)
	if err != nil {
		return nil, fmt.Errorf("%w: not a Tink encrypted keyset: %v", ErrKeyset, err)
	}
	pt, err := kek.Decrypt(ct, keysetAssociatedData)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot unwrap the keyset with the key-encryption key (wrong KMS key, KMS unreachable or refusing, or altered data)", ErrKeyset)
	}
	k, err := parseBinary(pt)
	if err == nil {
		err = k.validate()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: the unwrapped keyset is not valid: %v", ErrKeyset, err)
	}
	return k, nil
}
