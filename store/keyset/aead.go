package keyset

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// AEAD is authenticated encryption with associated data, the interface of
// Tink's tink.AEAD: a key-encryption key from one of Tink's KMS
// integrations is one, and so is a keyset's [Keyset.AEAD].
type AEAD interface {
	Encrypt(plaintext, associatedData []byte) ([]byte, error)
	Decrypt(ciphertext, associatedData []byte) ([]byte, error)
}

const (
	gcmNonceSize = 12
	gcmTagSize   = 16
)

// errDecrypt is every failure to open a ciphertext: it says nothing of why.
var errDecrypt = errors.New("keyset: decryption failed")

// keysetAEAD seals with the primary key and opens with every enabled key,
// as Tink's AEAD over a keyset does: a ciphertext is the primary's output
// prefix, a random 12-byte nonce, and AES-GCM's output with its 16-byte
// tag; opening tries the keys whose prefix the ciphertext starts with, then
// the keys without a prefix.
type keysetAEAD struct {
	primary  gcmKey
	prefixed map[string][]cipher.AEAD // by output prefix
	raw      []cipher.AEAD
}

type gcmKey struct {
	prefix []byte
	gcm    cipher.AEAD
}

// AEAD returns the keyset's authenticated encryption. Every enabled key
// must be an AES-GCM key.
func (k *Keyset) AEAD() (AEAD, error) {
	a := &keysetAEAD{prefixed: map[string][]cipher.AEAD{}}
	for _, e := range k.keys {
		if e.status != Enabled {
			continue
		}
		if e.typeURL != AESGCMKeyType || e.material == nil {
			return nil, fmt.Errorf("%w: key %d is of type %s, not AES-GCM", ErrKeyset, e.id, e.typeURL)
		}
		block, err := aes.NewCipher(e.material)
		if err != nil {
			return nil, fmt.Errorf("%w: key %d: %v", ErrKeyset, e.id, err)
		}
		gcm, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("%w: key %d: %v", ErrKeyset, e.id, err)
		}
		p := e.prefix.Bytes(e.id)
		if p == nil {
			a.raw = append(a.raw, gcm)
		} else {
			a.prefixed[string(p)] = append(a.prefixed[string(p)], gcm)
		}
		if e.id == k.primary {
			a.primary = gcmKey{prefix: p, gcm: gcm}
		}
	}
	if a.primary.gcm == nil {
		return nil, fmt.Errorf("%w: no enabled primary key", ErrKeyset)
	}
	return a, nil
}

func (a *keysetAEAD) Encrypt(plaintext, associatedData []byte) ([]byte, error) {
	out := make([]byte, len(a.primary.prefix)+gcmNonceSize, len(a.primary.prefix)+gcmNonceSize+len(plaintext)+gcmTagSize)
	copy(out, a.primary.prefix)
	nonce := out[len(a.primary.prefix):]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("keyset: nonce: %v", err)
	}
	return a.primary.gcm.Seal(out, nonce, plaintext, associatedData), nil
}

func (a *keysetAEAD) Decrypt(ciphertext, associatedData []byte) ([]byte, error) {
	if len(ciphertext) > 5 {
		for _, g := range a.prefixed[string(ciphertext[:5])] {
			if pt, err := open(g, ciphertext[5:], associatedData); err == nil {
				return pt, nil
			}
		}
	}
	for _, g := range a.raw {
		if pt, err := open(g, ciphertext, associatedData); err == nil {
			return pt, nil
		}
	}
	return nil, errDecrypt
}

func open(g cipher.AEAD, ct, ad []byte) ([]byte, error) {
	if len(ct) < gcmNonceSize+gcmTagSize {
		return nil, errDecrypt
	}
	pt, err := g.Open(nil, ct[:gcmNonceSize], ct[gcmNonceSize:], ad)
	if err != nil {
		return nil, errDecrypt
	}
	if pt == nil {
		pt = []byte{}
	}
	return pt, nil
}
