package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/vapsql/vap/store/backend"
)

// Sealed returns every stored connection as the backend holds it: plain
// fields as they are, secret fields as the store sealed them (Tink
// ciphertext bound to the connection's name, type and plain fields).
// Nothing is decrypted, so no keyset is needed to move the records, only to
// open them (OpenSealed). It is what "vap conn export" writes.
func (s *Store) Sealed(ctx context.Context) ([]*backend.Record, error) {
	b, _, err := s.init(ctx, read)
	if err != nil {
		return nil, err
	}
	return b.List(ctx)
}

// OpenSealed decrypts a record that Sealed returned (from this store or
// another one) with this store's keyset and returns it as a Connection
// (Version 0, ready for Create). A record sealed with a keyset this store
// does not hold, or whose name, type or plain fields were changed since it
// was sealed, fails with ErrDecrypt naming the field; nothing is stored.
func (s *Store) OpenSealed(ctx context.Context, r *backend.Record) (*Connection, error) {
	if r == nil || r.Name == "" || r.Type == "" {
		return nil, errors.New("store: a sealed record needs a name and a type")
	}
	// Opening sealed records is the first step of writing them (import):
	// the store and, for a new local store, its keyset may be created.
	b, sl, err := s.init(ctx, write)
	if err != nil {
		return nil, err
	}
	if sl, err = s.needSealer(ctx, sl, b); err != nil {
		return nil, err
	}
	c, err := s.unseal(sl, r, true)
	if errors.Is(err, ErrDecrypt) {
		if sl, ok := s.reloadKeyset(); ok {
			c, err = s.unseal(sl, r, true)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w (the record was sealed with another keyset, or changed since)", err)
	}
	c.Version, c.CreatedAt, c.UpdatedAt = 0, c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, nil
}
