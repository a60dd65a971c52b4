// Package keyset handles the Tink keyset files a connection store seals
// secrets with: generate an AES-256-GCM keyset ([New], [AddPrimary]), read
// and write its cleartext JSON ([Parse], [Marshal]), load a keyset file that
// group and others cannot read ([Load], [LoadOrCreate]), replace it
// atomically with mode 0600 ([Write]), serialise changes across processes
// ([Lock], flock(2) on path+".lock" where the system has it), and wrap it
// with a KMS key-encryption key ([Wrap], [Unwrap]).
//
// Every error matches [ErrKeyset] (store.ErrKeyset is the same value) and
// never contains key material.
package keyset
