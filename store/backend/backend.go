package backend

import (
	"context"
	"time"
)

// Record is a connection as a backend persists it: secrets are already
// sealed. Backends never see a plain secret.
type Record struct {
	Name      string
	Type      string
	Fields    map[string]SealedField
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// SealedField is a plain value (Secret false) or a base64 Tink ciphertext.
// Ref marks a sealed secret reference ({"ref": "env:VAR"}): its ciphertext
// holds the reference, not a secret, sealed under associated data of its
// own so that the flag cannot be flipped without the record failing to
// open. Ref implies Secret.
type SealedField struct {
	Value  string `json:"v"`
	Secret bool   `json:"s,omitempty"`
	Ref    bool   `json:"r,omitempty"`
}

// Backend persists records. Implementations must make every write
// transactional and Update a compare-and-swap on Version.
type Backend interface {
	// Get returns the record, or an error matching ErrNotFound.
	Get(ctx context.Context, name string) (*Record, error)
	// Version returns the record's current version cheaply, or an error
	// matching ErrNotFound. The driver calls it before each new physical
	// connection to pick up changes.
	Version(ctx context.Context, name string) (int64, error)
	// List returns every record, sorted by name.
	List(ctx context.Context) ([]*Record, error)
	// Insert stores r and sets r.Version to the version it wrote, or fails
	// with ErrExists. A new name starts at version 1; a name that was
	// deleted continues one above its last version, so a name's versions
	// never repeat (the driver re-resolves on any change of version).
	Insert(ctx context.Context, r *Record) error
	// Update replaces the record whose version is r.Version with r at
	// r.Version+1, or fails with ErrConflict (version moved) or ErrNotFound.
	Update(ctx context.Context, r *Record) error
	// Delete removes the record, keeping its last version for a later
	// Insert of the name, or fails with ErrNotFound.
	Delete(ctx context.Context, name string) error
	// ReplaceAll rewrites every record in one transaction with fn's result,
	// each at version+1: key rotation uses it. fn sees every record; an error
	// from fn aborts the transaction and changes nothing.
	ReplaceAll(ctx context.Context, fn func(*Record) (*Record, error)) error
	// Close releases the backend.
	Close() error
}

// Local is an optional Backend interface: Local reports whether the store
// lives in a local file only this host uses (the embedded SQLite store). A
// Store creates a keyset of its own only for a local store.
type Local interface {
	Local() bool
}
