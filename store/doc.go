// Package store keeps named connections, with their secrets encrypted.
//
// A [Connection] is a name, a type and fields; fields marked secret
// (password, access_token, client_secret, and any field sent with
// "encrypt": true) are sealed with a Tink AEAD keyset (AES-256-GCM) whose
// associated data binds each ciphertext to its field and to its connection's
// name, type and plain fields: a ciphertext moved elsewhere, or a connection
// whose host was altered in the store, no longer opens. No secret is written
// to a backend in plain text.
//
// [Store] is the API: it validates against the registry, encrypts, and calls
// a [Backend] that persists sealed records. Backends register by URL scheme:
// store/sqlite (the embedded default, $VAP_HOME/store.db) and, for teams,
// store/postgres (VAP_STORE=postgres://…). Import the backend you use; the vap
// driver imports the embedded one.
//
// Resolution order: the VAP_CONN_<NAME> environment variable (its value is the
// seed's connection_data JSON), then the store. A missing name fails with the
// seed's exact text and matches errors.Is(err, ErrNotFound).
package store
