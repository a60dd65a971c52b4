package backend

import "context"

// Watcher is an optional Backend interface for backends that learn of
// commits made by other processes without being asked: PostgreSQL
// LISTEN/NOTIFY, SQLite's PRAGMA data_version.
//
// When the backend is a Watcher, store.Store.Version answers from a cache of
// versions that the watch invalidates, so the driver's check before each new
// physical connection costs a map lookup instead of a round trip.
type Watcher interface {
	// Watch starts watching and returns once the watch is live: every commit
	// that finishes after Watch returns is reported on the channel. Each
	// value is the name of a changed record, or "" when any record may have
	// changed. Reports may repeat or be spurious, never missing. The channel
	// is closed when ctx is done or the watch fails (the Store then forgets
	// what it cached and watches again). A backend that cannot watch this
	// store returns ErrWatchUnsupported.
	Watch(ctx context.Context) (<-chan string, error)
}
