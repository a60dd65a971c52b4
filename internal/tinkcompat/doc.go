// Package tinkcompat holds vap to Tink: its tests read keysets, ciphertexts
// and KMS-wrapped keysets made by store/keyset with Tink itself, and the
// other way round, and wrap a store's keyset with Tink's HashiCorp Vault
// KMS client against a loopback transit engine. pgxtink is leanbench's
// measure of what linking Tink costs.
//
// It is a module of its own (internal/tinkcompat/go.mod, vap replaced by
// this checkout) so that Tink, its KMS clients and protobuf stay out of
// the module graph of every program that requires vap: vap itself links
// none of them. Run its tests from this directory, as CI does:
//
//	cd internal/tinkcompat && go test ./...
package tinkcompat
