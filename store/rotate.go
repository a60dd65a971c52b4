package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	tinkkeyset "github.com/tink-crypto/tink-go/v2/keyset"

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
// commit, holds an exclusive lock on the file (flock on tinkkeyset.json.lock),
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
	return KeyInfo{ID: id, Primary: true, Status: tinkkeyset.Enabled.String()}, nil
}

// Reencrypt makes h the store's keyset and seals every stored secret again
// with h's primary key, in one transaction (Backend.ReplaceAll): every
// record moves to version+1, so connectors pick up the change. h must hold
// every key a stored secret uses; if one fails to open, nothing changes.
func (s *Store) Reencrypt(ctx context.Context, h *tinkkeyset.Handle) error {
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
			plain, err := sl.open(bind, k, f.Value)
			if err != nil {
				return nil, err
			}
			ct, err := sl.seal(bind, k, plain)
			if err != nil {
				return nil, err
			}
			nr.Fields[k] = backend.SealedField{Value: ct, Secret: true}
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
// fails with ErrKeyInUse while id is the primary or any stored secret is
// sealed with it (run RotateKey first), and changes nothing.
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
	if !slices.Contains(keyIDs(cur), id) {
		return fmt.Errorf("%w: no key %d in the keyset (see vap keys list)", ErrKeyset, id)
	}
	if cur.KeysetInfo().GetPrimaryKeyId() == id {
		return fmt.Errorf("key %d: %w: it is the primary key; rotate first", id, ErrKeyInUse)
	}
	use, _, err := keyUse(ctx, b)
	if err != nil {
		return err
	}
	if users := use[id]; len(users) > 0 {
		slices.Sort(users)
		shown := users[:min(len(users), 5)]
		more := ""
		if len(users) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(users)-len(shown))
		}
		return fmt.Errorf("key %d: %w: %d secret(s) are sealed with it (%s%s); run vap keys rotate first",
			id, ErrKeyInUse, len(users), strings.Join(shown, ", "), more)
	}
	m := tinkkeyset.NewManagerFromHandle(cur)
	if err := m.Delete(id); err != nil {
		return fmt.Errorf("%w: delete key %d: %v", ErrKeyset, id, err)
	}
	nh, err := m.Handle()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	if err := keyset.Write(path, nh); err != nil {
		return err
	}
	_, err = s.useKeyset(nh)
	return err
}
