// Package sqlite is the embedded connection store backend: one SQLite file
// (by default $VAP_HOME/store.db, mode 0600) through modernc.org/sqlite, with
// no server and no cgo. Importing it registers the "sqlite" and "file" store
// URL schemes; a bare path also selects it.
//
// Writes run in IMMEDIATE transactions with a busy timeout, so several
// processes can share one file; updates compare and swap the version.
package sqlite
