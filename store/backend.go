package store

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
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
type SealedField struct {
	Value  string `json:"v"`
	Secret bool   `json:"s,omitempty"`
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

// OpenBackendFunc opens a backend for a store URL.
type OpenBackendFunc func(ctx context.Context, u *url.URL) (Backend, error)

var (
	backendsMu sync.RWMutex
	backends   = map[string]OpenBackendFunc{}
)

// RegisterBackend makes a backend available for URLs with one of the schemes.
// It panics on a duplicate scheme, like sql.Register.
func RegisterBackend(open OpenBackendFunc, schemes ...string) {
	backendsMu.Lock()
	defer backendsMu.Unlock()
	for _, s := range schemes {
		if _, dup := backends[s]; dup {
			panic("store: RegisterBackend called twice for scheme " + s)
		}
		backends[s] = open
	}
}

// LocalBackend is an optional Backend interface: Local reports whether the
// store lives in a local file only this host uses (the embedded SQLite
// store). A Store creates a keyset of its own only for a local store.
type LocalBackend interface {
	Local() bool
}

// IsLocalURL reports whether rawURL names the embedded SQLite store (a bare
// path, ":memory:", sqlite:// or file://) rather than a shared server.
func IsLocalURL(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil && strings.Contains(rawURL, "://") {
		return false
	}
	if err != nil || u.Scheme == "" || len(u.Scheme) == 1 {
		return true
	}
	return u.Scheme == "sqlite" || u.Scheme == "file"
}

// backendPackages names the package that registers each scheme vap ships,
// for the error of a program that did not import it.
var backendPackages = map[string]string{
	"sqlite":     "github.com/vapsql/vap/store/sqlite",
	"file":       "github.com/vapsql/vap/store/sqlite",
	"postgres":   "github.com/vapsql/vap/store/postgres",
	"postgresql": "github.com/vapsql/vap/store/postgres",
}

// OpenBackend opens the backend registered for rawURL's scheme. A bare path
// is an embedded SQLite store file. Errors never repeat the URL, which may
// carry a password.
func OpenBackend(ctx context.Context, rawURL string) (Backend, error) {
	u, err := url.Parse(rawURL)
	if err != nil && strings.Contains(rawURL, "://") {
		return nil, fmt.Errorf("store: the store URL (VAP_STORE) is not a valid URL")
	}
	if err != nil || u.Scheme == "" || len(u.Scheme) == 1 { // a path (":memory:" too), or a Windows drive letter
		u = &url.URL{Scheme: "sqlite", Path: rawURL}
	}
	scheme := u.Scheme
	backendsMu.RLock()
	open, ok := backends[scheme]
	known := make([]string, 0, len(backends))
	for s := range backends {
		known = append(known, s)
	}
	backendsMu.RUnlock()
	if !ok {
		slices.Sort(known)
		hint := "import the package that registers it"
		if pkg, shipped := backendPackages[scheme]; shipped {
			hint = fmt.Sprintf("add import _ %q", pkg)
		}
		return nil, fmt.Errorf("store: no backend for scheme %q is linked into this program (linked: %s); %s", scheme, strings.Join(known, ", "), hint)
	}
	return open(ctx, u)
}
