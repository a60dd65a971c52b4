package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/insecurecleartextkeyset"
	"github.com/tink-crypto/tink-go/v2/keyset"
)

// KeysetFileName is the keyset's file name inside VAP_HOME.
const KeysetFileName = "keyset.json"

// NewKeyset returns a fresh AES-256-GCM keyset handle.
func NewKeyset() (*keyset.Handle, error) {
	h, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	if err != nil {
		return nil, fmt.Errorf("%w: generate: %v", ErrKeyset, err)
	}
	return h, nil
}

// ParseKeyset reads a cleartext Tink JSON keyset.
func ParseKeyset(data []byte) (*keyset.Handle, error) {
	h, err := insecurecleartextkeyset.Read(keyset.NewJSONReader(bytes.NewReader(data)))
	if err != nil {
		// Tink's parse errors do not echo key material, but keep ours plain.
		return nil, fmt.Errorf("%w: not a valid Tink JSON keyset", ErrKeyset)
	}
	return h, nil
}

// MarshalKeyset writes h as cleartext Tink JSON. Guard the result like a
// password.
func MarshalKeyset(h *keyset.Handle) ([]byte, error) {
	var buf bytes.Buffer
	if err := insecurecleartextkeyset.Write(h, keyset.NewJSONWriter(&buf)); err != nil {
		return nil, fmt.Errorf("%w: encode: %v", ErrKeyset, err)
	}
	return buf.Bytes(), nil
}

// LoadKeysetFile reads the keyset at path, refusing a file that group or
// others can access.
func LoadKeysetFile(path string) (*keyset.Handle, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeyset, err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: keyset file %s has mode %04o: it must not be readable by group or others; run chmod 600 %s", ErrKeyset, path, perm, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	h, err := ParseKeyset(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return h, nil
}

// LoadOrCreateKeysetFile reads the keyset at path, creating it (mode 0600, its
// directory 0700) when it does not exist. Two processes creating it at once
// end up with the same keyset: the file is linked into place atomically.
func LoadOrCreateKeysetFile(path string) (*keyset.Handle, error) {
	h, err := LoadKeysetFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return h, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("%w: create directory: %v", ErrKeyset, err)
	}
	h, err = NewKeyset()
	if err != nil {
		return nil, err
	}
	data, err := MarshalKeyset(h)
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".keyset-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return LoadKeysetFile(path) // another process won the race
		}
		return nil, fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	return h, nil
}
