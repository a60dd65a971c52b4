// Package sqlite registers the sqlite type (alias sqlite3): an embedded
// database file served by modernc.org/sqlite (pure Go, no cgo, no server).
// The field "path" names the file (":memory:" for a private in-memory
// database); it is escaped into a "file:" URI, so any character is safe.
// Connections get a 5 s busy timeout; options.journal_mode, options.foreign_keys
// and options.mode (ro, rw, rwc) are passed through.
package sqlite
