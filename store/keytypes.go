package store

import (
	"fmt"

	"github.com/vapsql/vap/store/keyset"
)

// checkKeyTypes refuses a keyset holding any key that is not Tink AES-GCM:
// the README promises AES-GCM, and a keyset of another AEAD (or a
// non-AEAD key Tink would refuse only when sealing) is a mistake to stop
// at load.
func checkKeyTypes(h *keyset.Keyset) error {
	for _, k := range h.Keys() {
		if k.TypeURL != keyset.AESGCMKeyType {
			return fmt.Errorf("%w: key %d is of type %s; vap keysets hold AES-GCM keys only (%s)", ErrKeyset, k.ID, k.TypeURL, keyset.AESGCMKeyType)
		}
	}
	return nil
}
