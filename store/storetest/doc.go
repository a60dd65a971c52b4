// Package storetest is the contract every backend.Backend must honour, as a
// test suite: Run(t, open) drives a fresh backend per subtest through
// inserts, awkward names, byte-ordered listing, compare-and-swap updates
// under contention, deletes, all-or-nothing ReplaceAll, the optional
// backend.Watcher, and a store.Store round trip that checks secrets reach the
// backend only as ciphertext.
//
// Each backend package runs it in its own tests:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) backend.Backend { … })
//	}
//
// The package also holds the two-process live update check (RunLive,
// LiveWriterMain), which proves a *sql.DB in one process picks up a
// connection changed by another; the caller passes the vap driver's
// connector (Connect).
//
// storetest imports store, store/backend, store/keyset and the registry core
// only: no driver and no connection family. Its Stores validate against a
// registry holding one connection type of its own ("storetest"), whose
// database answers every query with the connection's "marker" field.
package storetest
