// Package store keeps named connections, with their secrets encrypted.
//
// A [Connection] is a name, a type and fields; fields marked secret
// (password, access_token, client_secret, and any field sent with
// "encrypt": true) are sealed with an AES-256-GCM keyset in Tink's formats
// (store/keyset; a keyset and its ciphertexts are Tink's, byte for byte) whose
// associated data binds each ciphertext to its field and to its connection's
// name, type and plain fields: a ciphertext moved elsewhere, or a connection
// whose host was altered in the store, no longer opens. No secret is written
// to a backend in plain text.
//
// Resolution order: the VAP_CONN_<NAME> environment variable (its value is the
// seed's connection_data JSON), then the store. A missing name fails with the
// seed's exact text and matches errors.Is(err, ErrNotFound).
//
// # What lives where
//
//   - store (this package) is the user API: [Store] and [Open] with its
//     options, [Connection] and [Field], the connection_data codec, validation,
//     the errors ([ErrNotFound], [ErrConflict], …), and the key API
//     ([Store.Keys], [Store.RotateKey], [Store.RetireKey], [Store.Reencrypt],
//     with [NewKeyset], [AddPrimaryKey], [WrapKeyset], [UnwrapKeyset]).
//   - store/backend is what backends implement: the Backend interface, the
//     sealed Record crossing it, the optional Watcher and Local interfaces, the
//     errors backends return (ErrNotFound, ErrExists and ErrConflict are the
//     same values as this package's), and the registry of URL schemes.
//   - store/keyset is the keyset: vap's own reading and writing of Tink's
//     keyset formats and Tink's AES-GCM AEAD (Tink itself is only the
//     oracle of the tests in internal/tinkcompat, a module of its own, so a
//     Flow links neither Tink nor protobuf), and keyset files:
//     load (refusing a file group or others can read), create, replace
//     atomically with mode 0600, lock across processes, and wrap with a KMS
//     key. [ErrKeyset] is keyset.ErrKeyset.
//   - store/sqlite (the embedded default, $VAP_HOME/store.db) and
//     store/postgres (VAP_STORE=postgres://…, for teams) are the backends;
//     each registers its schemes in store/backend. Import the one you use; the
//     vap driver imports both.
//   - store/storetest is the contract suite every backend passes.
package store
