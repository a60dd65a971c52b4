// Package postgres is the shared connection store backend: one PostgreSQL
// schema that every process of a team or cluster reads, through pgx.
// Importing it registers the "postgres" and "postgresql" store URL schemes:
//
//	VAP_STORE='postgres://vap@db.internal:5432/platform?sslmode=verify-full&schema=vap'
//
// The schema parameter (default "vap") names the PostgreSQL schema that holds
// the store; vap creates and migrates it on first use, under an advisory lock
// so that many workers starting at once migrate it once. Every other
// parameter is pgx's. Connection names are stored as bytes, so any UTF-8 name
// (NUL included) round-trips and List sorts by bytes, as the SQLite backend
// does. Secrets arrive sealed by the store: the database only ever holds
// ciphertext.
//
// Writes are single statements or transactions; Update is a compare-and-swap
// on the version. A trigger NOTIFYs channel "vap_store" on every change, and
// Watch LISTENs to it, so processes learn of a new password or host within
// milliseconds of the commit without asking the database before each
// connection (see backend.Watcher).
package postgres
