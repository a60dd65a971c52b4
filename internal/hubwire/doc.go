// Package hubwire is the protocol between the store hub (server/hubserver,
// run by `vap serve`) and its client backend (store/hub): the paths, the
// JSON a record travels in, and the watch stream's events. Records travel
// sealed, exactly as the store holds them: secret fields are Tink
// ciphertext that only a holder of the keyset opens.
package hubwire
