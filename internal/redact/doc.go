// Package redact removes secret values from text and errors, keeping the
// error chain intact so errors.Is and errors.As still work.
//
// The rule: a secret, and each encoding a driver may echo it in, is masked
// where it stands as a whole token (the characters next to it do not
// continue it as a word), so ordinary words that contain a secret's letters
// stay intact. A weak secret (shorter than MinStrong characters, or letters
// only) cannot be masked without revealing it — a reader guesses "a" or
// "postgres" from the words around the mask — so a text in which one stands
// as a token is not printed at all: it becomes Withheld. Values a caller
// derives from a secret before sending it (a truncated identifier, a Basic
// credential) are secrets of their own and are passed in as such.
package redact
