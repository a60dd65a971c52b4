package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/keyset"
)

// ErrKeyInUse is returned by RetireKey while a stored secret, or the
// keyset's primary role, still needs the key.
var ErrKeyInUse = errors.New("store: key is still in use")

// RotateKey adds a new AES-256-GCM key to the keyset, makes it the primary,
// writes the keyset back to its file, and then re-encrypts every stored
// secret with it in one transaction (Reencrypt). The old keys stay in the
// keyset, so an interruption at any point leaves every secret readable: the
// file already holds the new key before any secret uses it, and the
// re-encryption commits all or nothing. Retire old keys with RetireKey.
//
// The whole rotation, from reading the keyset file to the re-encryption's
// commit, holds an exclusive lock on the file (flock on keyset.json.lock),
// so concurrent rotations on one host run one after the other and each
// writes every key the file held plus its new one: no key is ever lost.
// Processes that share the store load the new keyset file when they meet a
// secret their keyset cannot open. A keyset given with WithKeyset or
// VAP_KEYSET cannot be written back: rotate it with AddPrimaryKey, publish
// it, then call Reencrypt.
func (s *Store) RotateKey(ctx context.Context) (KeyInfo, error) {
	if _, _, err := s.init(ctx, write); err != nil {
		return KeyInfo{}, err
	}
	path, err := s.keysetFile()
	if err != nil {
		return KeyInfo{}, fmt.Errorf("%w: rotate: %w", ErrKeyset, err)
	}
	unlock, err := keyset.Lock(ctx, path)
	if err != nil {
		return KeyInfo{}, err
	}
	defer unlock()
	// Start from the file, not from memory: another process may have
	// rotated since this store loaded it. The new keyset is the file's keys
	// plus the new one.
	cur, err := keyset.Load(path)
	if err != nil {
		return KeyInfo{}, err
	}
	h, id, err := keyset.AddPrimary(cur)
	if err != nil {
		return KeyInfo{}, err
	}
	if err := keyset.Write(path, h); err != nil {
		return KeyInfo{}, err
	}
	if err := s.Reencrypt(ctx, h); err != nil {
		return KeyInfo{}, fmt.Errorf("%w (the keyset file now holds the new primary key %d beside every key it held before; the re-encryption changed no stored secret; run the rotation again)", err, id)
	}
	return KeyInfo{ID: id, Primary: true, Status: keyset.Enabled.String()}, nil
}

// AddKey adds a new AES-256-GCM key to the keyset file without making it
// the primary: the first phase of a rotation for a team whose hosts each
// hold a copy of the keyset. Nothing is sealed with the key yet, so hosts
// that do not have it lose nothing. Distribute the file, then
// ReencryptWith the key, distribute again, and RetireKey the old one.
func (s *Store) AddKey(ctx context.Context) (KeyInfo, error) {
	if _, _, err := s.init(ctx, write); err != nil {
		return KeyInfo{}, err
	}
	path, err := s.keysetFile()
	if err != nil {
		return KeyInfo{}, fmt.Errorf("%w: add key: %w", ErrKeyset, err)
	}
	unlock, err := keyset.Lock(ctx, path)
	if err != nil {
		return KeyInfo{}, err
	}
	defer unlock()
	cur, err := loadChecked(path)
	if err != nil {
		return KeyInfo{}, err
	}
	h, id, err := keyset.Add(cur)
	if err != nil {
		return KeyInfo{}, err
	}
	if err := keyset.Write(path, h); err != nil {
		return KeyInfo{}, err
	}
	if _, err := s.useKeyset(h); err != nil {
		return KeyInfo{}, err
	}
	return KeyInfo{ID: id, Status: keyset.Enabled.String()}, nil
}

// ReencryptWith makes key id the keyset file's primary (0: keep the
// primary) and seals every stored secret again with it, in one
// transaction. Run it once every host holds a keyset with key id (AddKey,
// then distribute): from then on, secrets are sealed with a key every host
// has. Hosts keep sealing with their file's primary until they get the new
// file; a running process reloads a changed keyset file before it seals.
func (s *Store) ReencryptWith(ctx context.Context, id uint32) error {
	if _, _, err := s.init(ctx, write); err != nil {
		return err
	}
	path, err := s.keysetFile()
	if err != nil {
		return fmt.Errorf("%w: re-encrypt: %w", ErrKeyset, err)
	}
	unlock, err := keyset.Lock(ctx, path)
	if err != nil {
		return err
	}
	defer unlock()
	h, err := loadChecked(path)
	if err != nil {
		return err
	}
	if id != 0 && h.Primary() != id {
		if !slices.Contains(h.IDs(), id) {
			return fmt.Errorf("%w: no key %d in the keyset (see vap keys list)", ErrKeyset, id)
		}
		if h, err = keyset.SetPrimary(h, id); err != nil {
			return err
		}
		if err := keyset.Write(path, h); err != nil {
			return err
		}
	}
	return s.Reencrypt(ctx, h)
}

// Reencrypt makes h the store's keyset and seals every stored secret again
// with h's primary key, in one transaction (Backend.ReplaceAll): every
// record moves to version+1, so connectors pick up the change. h must hold
// every key a stored secret uses; if one fails to open, nothing changes.
func (s *Store) Reencrypt(ctx context.Context, h *keyset.Keyset) error {
	b, _, err := s.init(ctx, read)
	if err != nil {
		return err
	}
	sl, err := newSealer(h)
	if err != nil {
		return err
	}
	err = b.ReplaceAll(ctx, func(r *backend.Record) (*backend.Record, error) {
		nr := *r
		nr.Fields = make(map[string]backend.SealedField, len(r.Fields))
		bind := recordBinding(r)
		for k, f := range r.Fields {
			if !f.Secret {
				nr.Fields[k] = f
				continue
			}
			plain, err := sl.open(bind, k, f.Value, f.Ref)
			if err != nil {
				return nil, err
			}
			ct, err := sl.seal(bind, k, plain, f.Ref)
			if err != nil {
				return nil, err
			}
			nr.Fields[k] = backend.SealedField{Value: ct, Secret: true, Ref: f.Ref}
		}
		return &nr, nil
	})
	s.versions.invalidate("")
	if err != nil {
		return fmt.Errorf("store: re-encrypt: %w", err)
	}
	_, err = s.useKeyset(h)
	return err
}

// RetireKey deletes key id from the keyset file once nothing uses it. It
// fails with ErrKeyInUse while id is the primary or any stored secret opens
// only with it (re-encrypt first), and changes nothing. Whether a secret
// needs the key is found by opening it without the key, not by reading its
// key-id prefix: keys with no prefix (RAW) count too.
//
// Retire a key only when every process that writes to the store has loaded
// a keyset whose primary is another key: a process still holding the old
// keyset would seal new secrets with the retired key.
func (s *Store) RetireKey(ctx context.Context, id uint32) error {
	b, _, err := s.init(ctx, read)
	if err != nil {
		return err
	}
	path, err := s.keysetFile()
	if err != nil {
		return fmt.Errorf("%w: retire: %w", ErrKeyset, err)
	}
	unlock, err := keyset.Lock(ctx, path)
	if err != nil {
		return err
	}
	defer unlock()
	cur, err := keyset.Load(path)
	if err != nil {
		return err
	}
	if !slices.Contains(cur.IDs(), id) {
		return fmt.Errorf("%w: no key %d in the keyset (see vap keys list)", ErrKeyset, id)
	}
	if cur.Primary() == id {
		return fmt.Errorf("key %d: %w: it is the primary key; rotate first", id, ErrKeyInUse)
	}
	users, err := onlyOpenWith(ctx, b, cur, id)
	if err != nil {
		return err
	}
	if len(users) > 0 {
		shown := users[:min(len(users), 5)]
		more := ""
		if len(users) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(users)-len(shown))
		}
		return fmt.Errorf("key %d: %w: %d secret(s) open only with it (%s%s); re-encrypt first (vap keys reencrypt)",
			id, ErrKeyInUse, len(users), strings.Join(shown, ", "), more)
	}
	nh, err := keyset.Delete(cur, id)
	if err != nil {
		return err
	}
	if err := keyset.Write(path, nh); err != nil {
		return err
	}
	_, err = s.useKeyset(nh)
	return err
}

// onlyOpenWith returns the "connection/field" secrets that open with h but
// not with h minus key id, sorted.
func onlyOpenWith(ctx context.Context, b backend.Backend, h *keyset.Keyset, id uint32) ([]string, error) {
	full, err := newSealer(h)
	if err != nil {
		return nil, err
	}
	rest, err := withoutKey(h, id)
	if err != nil {
		return nil, err
	}
	rs, err := b.List(ctx)
	if err != nil {
		return nil, err
	}
	var users []string
	for _, r := range rs {
		bind := recordBinding(r)
		for k, f := range r.Fields {
			if !f.Secret {
				continue
			}
			if _, err := rest.open(bind, k, f.Value, f.Ref); err == nil {
				continue
			}
			if _, err := full.open(bind, k, f.Value, f.Ref); err == nil {
				users = append(users, fmt.Sprintf("%q/%s", r.Name, k))
			}
		}
	}
	slices.Sort(users)
	return users, nil
}
