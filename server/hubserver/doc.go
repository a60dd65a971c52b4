// Package hubserver is the store hub: one process (`vap serve` with a hub
// token) that holds the only connections to a shared store and answers
// Flow processes over HTTP, so that the number of store connections does
// not grow with the number of processes. Processes reach it through the
// store/hub backend (VAP_STORE=vap+https://hub:5000).
//
// The hub serves records sealed, as stored: it holds no keyset, opens no
// secret, and a compromised hub leaks ciphertext only. Each process opens
// the secrets with its own keyset.
//
// It keeps one watch on the store (PostgreSQL LISTEN, or the poll watch
// behind PgBouncer), caches each record it served until the watch reports
// it changed (30 s at most), and passes every change on to the processes
// that watch it over server-sent events (internal/hubwire). When its own
// watch ends it forgets its cache and ends every stream, so no process
// trusts a cache the hub can no longer keep fresh.
//
// Every request needs "Authorization: Bearer <hub token>", a read-only
// token distinct from the admin API's: it reads sealed records and
// nothing else.
package hubserver
