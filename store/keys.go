package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	tinkkeyset "github.com/tink-crypto/tink-go/v2/keyset"

	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/keyset"
)

// KeyInfo describes one key of the store's tinkkeyset.
type KeyInfo struct {
	ID      uint32 // Tink key id, the 4 bytes after the version byte of every ciphertext it made
	Primary bool   // new secrets are sealed with this key
	Status  string // Enabled, Disabled or Destroyed
	Secrets int    // stored secret fields sealed with this key
}

// Keys lists the keyset's keys, sorted by id, with how many stored secrets
// each one sealed. It decrypts nothing.
func (s *Store) Keys(ctx context.Context) ([]KeyInfo, error) {
	b, sl, err := s.init(ctx, read)
	if err != nil {
		return nil, err
	}
	if _, err := s.needSealer(ctx, sl, b); err != nil {
		return nil, err
	}
	s.mu.Lock()
	h := s.handle
	s.mu.Unlock()
	if path, err := s.keysetFile(); err == nil {
		if h, err = loadChecked(path); err != nil { // what rotation would start from
			return nil, err
		}
	}
	use, _, err := keyUse(ctx, b)
	if err != nil {
		return nil, err
	}
	var out []KeyInfo
	for i := range h.Len() {
		e, err := h.Entry(i)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKeyset, err)
		}
		out = append(out, KeyInfo{ID: e.KeyID(), Primary: e.IsPrimary(), Status: e.KeyStatus().String(), Secrets: len(use[e.KeyID()])})
	}
	slices.SortFunc(out, func(a, b KeyInfo) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out, nil
}

// keyUse maps each key id to the "connection/field" secrets it sealed, and
// counts the secrets whose key id cannot be read.
func keyUse(ctx context.Context, b backend.Backend) (map[uint32][]string, int, error) {
	rs, err := b.List(ctx)
	if err != nil {
		return nil, 0, err
	}
	use := map[uint32][]string{}
	unknown := 0
	for _, r := range rs {
		for k, f := range r.Fields {
			if !f.Secret {
				continue
			}
			id, ok := keyID(f.Value)
			if !ok {
				unknown++
				continue
			}
			use[id] = append(use[id], fmt.Sprintf("%q/%s", r.Name, k))
		}
	}
	return use, unknown, nil
}

// errKeysetNotFile is returned when the keyset cannot be written back.
var errKeysetNotFile = errors.New("the keyset was given in memory or in " + EnvKeyset + ", so vap cannot write the changed keyset back; keep it in a file (" + EnvKeysetFile + " or $VAP_HOME/" + KeysetFileName + ")")

// keysetFile returns the file the keyset was loaded from, or
// errKeysetNotFile.
func (s *Store) keysetFile() (string, error) {
	if s.cfg.handle != nil {
		return "", errKeysetNotFile
	}
	if k, ok := s.cfg.lookupEnv(EnvKeyset); ok && k != "" {
		return "", errKeysetNotFile
	}
	if f, ok := s.cfg.lookupEnv(EnvKeysetFile); ok && f != "" {
		return f, nil
	}
	h, err := s.home()
	if err != nil {
		return "", err
	}
	return filepath.Join(h, KeysetFileName), nil
}

// useKeyset makes h the store's keyset for everything that follows.
func (s *Store) useKeyset(h *tinkkeyset.Handle) (*sealer, error) {
	sl, err := newSealer(h)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.handle, s.sealer = h, sl
	s.mu.Unlock()
	return sl, nil
}

// reloadKeyset reads the keyset file again after a secret failed to open:
// another process may have rotated the keys. It reports whether the keyset
// changed.
func (s *Store) reloadKeyset() (*sealer, bool) {
	path, err := s.keysetFile()
	if err != nil {
		return nil, false
	}
	h, err := keyset.Load(path)
	if err != nil {
		return nil, false
	}
	s.mu.Lock()
	old := s.handle
	s.mu.Unlock()
	if old != nil && sameKeys(old, h) {
		return nil, false
	}
	sl, err := s.useKeyset(h)
	return sl, err == nil
}

// sameKeys reports whether a and b hold the same key ids and primary.
func sameKeys(a, b *tinkkeyset.Handle) bool {
	return a.KeysetInfo().GetPrimaryKeyId() == b.KeysetInfo().GetPrimaryKeyId() &&
		slices.Equal(keyIDs(a), keyIDs(b))
}

// keyIDs returns h's key ids, sorted.
func keyIDs(h *tinkkeyset.Handle) []uint32 {
	var out []uint32
	for _, k := range h.KeysetInfo().GetKeyInfo() {
		out = append(out, k.GetKeyId())
	}
	slices.Sort(out)
	return out
}
