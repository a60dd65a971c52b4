// Package keyset is the keyset a connection store seals secrets with: a
// [Keyset] of AES-GCM keys in Tink's formats, read and written by vap's own
// code, without linking Tink or protobuf. A keyset file written by Tink
// (or by earlier vap releases, which used Tink) reads here, what this
// package writes reads in Tink, and [Keyset.AEAD] seals and opens as Tink's
// AEAD does (output prefix, 12-byte nonce, AES-GCM with its 16-byte tag);
// internal/tinkcompat (a module of its own, so that vap does not require
// Tink) holds both sides to that with Tink as the oracle.
//
// Generate an AES-256-GCM keyset ([New], [AddPrimary], [Add]), change its
// primary or drop a key ([SetPrimary], [Delete], [Only]), read
// and write its cleartext JSON ([Parse], [Marshal]), load a keyset file that
// group and others cannot read ([Load], [LoadOrCreate]), replace it
// atomically with mode 0600 ([Write]), serialise changes across processes
// ([Lock], flock(2) on path+".lock" where the system has it), and wrap it
// with a KMS key-encryption key ([Wrap], [Unwrap]; any [AEAD], Tink's
// tink.AEAD from its KMS integrations among them).
//
// Every error matches [ErrKeyset] (store.ErrKeyset is the same value) and
// never contains key material.
package keyset
