package backend

import (
	"errors"
	"fmt"
)

// Errors a Backend returns, or wraps. Package store re-exports them
// (store.ErrNotFound is ErrNotFound), so callers match them with errors.Is
// from either package.
var (
	// ErrNotFound is matched by the error for a name the backend does not
	// hold. Store turns it into the platform's missing-name message.
	ErrNotFound = errors.New("store: connection not found")
	// ErrExists is returned by Insert for a name already stored.
	ErrExists = errors.New("store: connection already exists")
	// ErrConflict is returned by Update when the stored version is not the
	// one the caller read: another writer got there first.
	ErrConflict = errors.New("store: connection was changed by another writer; read it again and retry")
	// ErrWatchUnsupported is returned by a Watcher that cannot watch this
	// particular store (an in-memory SQLite store, say). The Store then asks
	// the backend for every version, as it does for a backend that is no
	// Watcher.
	ErrWatchUnsupported = errors.New("store: this backend cannot watch for changes")
	// ErrUnavailable is wrapped by errors of a store that could not be
	// reached or refused the connection (down, too many clients, starting
	// up, the connection broke): errors worth retrying, unlike a refused
	// password or a missing table.
	ErrUnavailable = errors.New("store unavailable")
)

// Unavailable wraps err so that it matches ErrUnavailable as well as err.
func Unavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) {
		return err
	}
	return &unavailableError{err}
}

type unavailableError struct{ err error }

func (e *unavailableError) Error() string   { return e.err.Error() }
func (e *unavailableError) Unwrap() []error { return []error{e.err, ErrUnavailable} }

// NotFound returns an error matching ErrNotFound that names the missing
// connection.
func NotFound(name string) error { return fmt.Errorf("%w: %q", ErrNotFound, name) }
