package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/vapsql/vap/store/backend"
)

// Secrets are shown as Redacted ("********") by show, the CLI and REST, and
// what was shown comes back: `vap conn show --json | vap conn create -f -
// --replace`, or REST show then update. A secret field whose value is
// exactly Redacted therefore means "keep the stored secret" in an update
// (as Airflow does since apache/airflow#32309), and is refused where
// nothing is stored to keep: a create, a VAP_CONN_* override, a field the
// stored connection has no secret in.

// maskedFields returns the secret fields of c whose value is the mask,
// sorted.
func maskedFields(c *Connection) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(c.Fields)) {
		if f := c.Fields[k]; f.Secret && f.Value == Redacted {
			out = append(out, k)
		}
	}
	return out
}

// refuseMask fails when c holds a masked secret: there is nothing to keep.
func refuseMask(c *Connection) error {
	if m := maskedFields(c); len(m) > 0 {
		return &InvalidError{Name: c.Name, Err: fmt.Errorf("field %q holds %s, the mask vap shows in place of a secret, not a secret: give the secret itself (the mask keeps a stored secret only when updating a connection)", m[0], Redacted)}
	}
	return nil
}

// keepMasked replaces each masked secret of c with the stored connection's
// secret, read from r (the record c replaces, at c's version). A masked
// field the record holds no secret in is refused; a stored secret that
// does not open fails with ErrDecrypt naming the field (give it anew).
func (s *Store) keepMasked(sl *sealer, r *backend.Record, c *Connection) error {
	bind := recordBinding(r)
	for _, k := range maskedFields(c) {
		old, ok := r.Fields[k]
		if ok && old.Ref {
			return &InvalidError{Name: c.Name, Err: fmt.Errorf("field %q holds %s, the mask of a stored secret, but the stored connection holds a reference in %q, which is shown as is: give the reference or a value", k, Redacted, k)}
		}
		if !ok || !old.Secret {
			return &InvalidError{Name: c.Name, Err: fmt.Errorf("field %q holds %s, the mask of a stored secret, but the stored connection has no secret %q to keep: give the secret itself", k, Redacted, k)}
		}
		plain, err := sl.open(bind, k, old.Value, false)
		if errors.Is(err, ErrDecrypt) {
			if nsl, ok := s.reloadKeyset(); ok {
				sl = nsl
				plain, err = sl.open(bind, k, old.Value, false)
			}
		}
		if err != nil {
			return fmt.Errorf("%w (field %q was sent as %s to keep the stored secret, which does not open: give its value)", err, k, Redacted)
		}
		c.Fields[k] = Field{Value: plain, Secret: true}
	}
	return nil
}

// maxReplaceAttempts bounds Replace's retries when other writers keep
// changing the connection.
const maxReplaceAttempts = 10

// Replace stores c in place of the stored connection of that name, whatever
// version is stored (Update with the current version, retried when another
// writer gets in between), or fails with the missing-name error. It reads
// no stored secret except those c sends as the mask to keep, so a
// connection whose secrets no longer open can be replaced. On success
// c.Version is the stored version.
func (s *Store) Replace(ctx context.Context, c *Connection) error {
	b, _, err := s.init(ctx, read)
	if emptyDefault(err) {
		return &NotFoundError{Name: c.Name}
	}
	if err != nil {
		return err
	}
	for range maxReplaceAttempts {
		r, err := b.Get(ctx, c.Name)
		if err != nil {
			return notFound(c.Name, err)
		}
		cc := c.Clone()
		cc.Version = r.Version
		err = s.Update(ctx, cc)
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return err
		}
		c.Version = cc.Version
		return nil
	}
	return fmt.Errorf("connection %q: %w (changed by other writers %d times in a row)", c.Name, ErrConflict, maxReplaceAttempts)
}
