package store

import (
	"fmt"

	tinkkeyset "github.com/tink-crypto/tink-go/v2/keyset"
)

// aesGCMKeyType is the one key type vap seals with: Tink's AES-GCM (vap
// generates AES-256-GCM keys; an imported keyset may hold AES-128-GCM).
const aesGCMKeyType = "type.googleapis.com/google.crypto.tink.AesGcmKey"

// checkKeyTypes refuses a keyset holding any key that is not Tink AES-GCM:
// the README promises AES-GCM, and a keyset of another AEAD (or a
// non-AEAD key Tink would refuse only when sealing) is a mistake to stop
// at load.
func checkKeyTypes(h *tinkkeyset.Handle) error {
	for _, k := range h.KeysetInfo().GetKeyInfo() {
		if k.GetTypeUrl() != aesGCMKeyType {
			return fmt.Errorf("%w: key %d is of type %s; vap keysets hold AES-GCM keys only (%s)", ErrKeyset, k.GetKeyId(), k.GetTypeUrl(), aesGCMKeyType)
		}
	}
	return nil
}
