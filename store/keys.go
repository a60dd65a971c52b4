package store

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/keyset"
)

// KeyInfo describes one key of the store's keyset, or one the stored
// secrets need that the keyset lacks.
type KeyInfo struct {
	ID      uint32 // Tink key id, the 4 bytes after the version byte of every ciphertext it made with a TINK or LEGACY prefix
	Primary bool   // new secrets are sealed with this key
	Status  string // Enabled, Disabled or Destroyed; Missing for a key stored secrets need that the keyset does not hold; Unknown (ID 0) for secrets no key of the keyset opens and whose key id is not written in them
	Secrets int    // stored secret fields sealed with this key
}

// Key statuses Keys reports beside Tink's.
const (
	StatusMissing = "Missing"
	StatusUnknown = "Unknown"
)

// Keys lists the keyset's keys, sorted by id, with how many stored secrets
// each one sealed, then the keys stored secrets were sealed with that the
// keyset does not hold (status Missing), and the secrets whose key cannot be
// told (ID 0, status Unknown). A secret's key is read from its ciphertext's
// key-id prefix; a key whose ciphertexts carry none (RAW output prefix, as
// in an imported keyset) is found by opening the secret with it.
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
	use, err := keyUse(ctx, b, h)
	if err != nil {
		return nil, err
	}
	var out []KeyInfo
	in := map[uint32]bool{}
	for _, e := range h.Keys() {
		in[e.ID] = true
		out = append(out, KeyInfo{ID: e.ID, Primary: e.Primary, Status: e.Status.String(), Secrets: len(use[e.ID])})
	}
	slices.SortFunc(out, func(a, b KeyInfo) int { return cmp.Compare(a.ID, b.ID) })
	var missing []KeyInfo
	for id, users := range use {
		if !in[id] && id != unknownKey {
			missing = append(missing, KeyInfo{ID: id, Status: StatusMissing, Secrets: len(users)})
		}
	}
	slices.SortFunc(missing, func(a, b KeyInfo) int { return cmp.Compare(a.ID, b.ID) })
	out = append(out, missing...)
	if n := len(use[unknownKey]); n > 0 {
		out = append(out, KeyInfo{ID: unknownKey, Status: StatusUnknown, Secrets: n})
	}
	return out, nil
}

// unknownKey is keyUse's entry for secrets whose key cannot be told.
const unknownKey = 0

// keyUse maps each key id to the "connection/field" secrets it sealed: by
// the ciphertext's TINK (0x01) or LEGACY (0x00) key-id prefix when the
// keyset holds that key with that prefix, else by opening the secret with
// each of h's unprefixed (RAW) keys, else by the id in a prefix h lacks
// (a missing key), else under unknownKey.
func keyUse(ctx context.Context, b backend.Backend, h *keyset.Keyset) (map[uint32][]string, error) {
	rs, err := b.List(ctx)
	if err != nil {
		return nil, err
	}
	prefixed := map[uint32]keyset.Prefix{}
	var raw []uint32
	for _, k := range h.Keys() {
		if k.Prefix == keyset.PrefixRaw {
			raw = append(raw, k.ID)
		} else {
			prefixed[k.ID] = k.Prefix
		}
	}
	rawSealers := map[uint32]*sealer{}
	for _, id := range raw {
		if sl, err := singleKeySealer(h, id); err == nil {
			rawSealers[id] = sl
		}
	}
	use := map[uint32][]string{}
	for _, r := range rs {
		bind := recordBinding(r)
		for _, k := range slices.Sorted(maps.Keys(r.Fields)) {
			f := r.Fields[k]
			if !f.Secret {
				continue
			}
			who := fmt.Sprintf("%q/%s", r.Name, k)
			ct, id, ok := keyID(f.Value)
			if ok {
				if t, in := prefixed[id]; in && bytes.HasPrefix(ct, t.Bytes(id)) {
					use[id] = append(use[id], who)
					continue
				}
			}
			found := false
			for _, rid := range raw {
				if sl := rawSealers[rid]; sl != nil {
					if _, err := sl.open(bind, k, f.Value, f.Ref); err == nil {
						use[rid] = append(use[rid], who)
						found = true
						break
					}
				}
			}
			switch {
			case found:
			case ok && prefixed[id] == 0 && id != unknownKey:
				use[id] = append(use[id], who) // a key the keyset lacks
			default:
				use[unknownKey] = append(use[unknownKey], who)
			}
		}
	}
	return use, nil
}

// singleKeySealer returns a sealer that holds only key id of h.
func singleKeySealer(h *keyset.Keyset, id uint32) (*sealer, error) {
	nh, err := keyset.Only(h, id)
	if err != nil {
		return nil, err
	}
	return newSealer(nh)
}

// withoutKey returns a sealer over h minus key id (id is not h's primary),
// to find the secrets that open only with id.
func withoutKey(h *keyset.Keyset, id uint32) (*sealer, error) {
	nh, err := keyset.Delete(h, id)
	if err != nil {
		return nil, err
	}
	return newSealer(nh)
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
func (s *Store) useKeyset(h *keyset.Keyset) (*sealer, error) {
	sl, err := newSealer(h)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.handle, s.sealer = h, sl
	s.mu.Unlock()
	return sl, nil
}

// freshSealer returns the sealer of the keyset file as it is now: a
// process that meets a keyset file changed since it loaded it (a new
// primary distributed by a rotation) reloads it before sealing, so that it
// never seals with a key the team is retiring. A keyset not read from a
// file is returned as is.
func (s *Store) freshSealer(sl *sealer) (*sealer, error) {
	path, err := s.keysetFile()
	if err != nil {
		return sl, nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return sl, nil // a keyset given otherwise, or gone: Load reports it on the next init
	}
	s.mu.Lock()
	seen := s.keysetSeen
	s.mu.Unlock()
	if seen != nil && os.SameFile(seen, fi) && seen.ModTime().Equal(fi.ModTime()) && seen.Size() == fi.Size() {
		return sl, nil
	}
	h, err := loadChecked(path)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	old := s.handle
	s.keysetSeen = fi
	s.mu.Unlock()
	if old != nil && sameKeys(old, h) {
		return sl, nil
	}
	return s.useKeyset(h)
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
func sameKeys(a, b *keyset.Keyset) bool {
	return a.Primary() == b.Primary() && slices.Equal(a.IDs(), b.IDs())
}
