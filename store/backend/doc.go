// Package backend is the interface connection-store backends implement, as
// database/sql/driver is to database/sql: users call package store; a
// backend (store/sqlite, store/postgres, or your own) implements [Backend]
// and registers an [OpenFunc] for its URL schemes.
//
// What crosses the interface: a [Record] whose secret fields are already
// sealed ([SealedField]); a backend never sees a plain secret. What a backend
// returns: errors matching [ErrNotFound], [ErrExists] and [ErrConflict]
// (package store re-exports them, so errors.Is works from either package),
// and [ErrWatchUnsupported] from a [Watcher] that cannot watch.
//
// Backends register in a [Registry] by scheme, normally [Default] from
// init:
//
//	func init() {
//		backend.Register(openMyStore, "mystore")
//	}
//
// Register panics on a nil OpenFunc, an empty scheme or a scheme registered
// twice, like sql.Register. [Open] opens the backend for a store URL; a bare
// path is an embedded SQLite store file.
package backend
