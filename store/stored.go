package store

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/vapsql/vap/store/backend"
)

// checkStored validates a record read from the backend, once unsealed into
// c, as strictly as a connection being stored: a field that is always
// sealed must have been stored sealed (a plain "password" means someone
// wrote the record without the keyset and chose the password), and the
// fields must pass the type's validation. c is put in its stored form
// (Validate).
func (s *Store) checkStored(r *backend.Record, c *Connection) error {
	t, err := s.cfg.reg.Resolve(r.Type)
	if err != nil {
		return &InvalidError{Name: r.Name, Err: fmt.Errorf("stored connection: %w", err)}
	}
	for _, k := range slices.Sorted(maps.Keys(r.Fields)) {
		if !r.Fields[k].Secret && (slices.Contains(AlwaysSecret, k) || t.IsSecret(k)) {
			return &InvalidError{Name: r.Name, Err: fmt.Errorf("stored field %q is in plain text, but it is always sealed: the record was altered outside vap; store the connection again", k)}
		}
	}
	if err := Validate(c, s.cfg.reg); err != nil {
		return fmt.Errorf("stored connection no longer validates (store it again): %w", err)
	}
	return nil
}

// checkEnvCollision refuses a new name whose VAP_CONN_<NAME> variable is
// another stored connection's: one variable would override both.
func checkEnvCollision(ctx context.Context, b backend.Backend, name string) error {
	rs, err := b.List(ctx)
	if err != nil {
		return err
	}
	env := EnvName(name)
	for _, r := range rs {
		if r.Name != name && EnvName(r.Name) == env {
			return &InvalidError{Name: name, Err: fmt.Errorf("its environment override %s is also that of the stored connection %q: choose a name that differs in more than case and punctuation", env, r.Name)}
		}
	}
	return nil
}
