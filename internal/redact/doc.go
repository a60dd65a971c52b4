// Package redact removes secret values from text and errors, keeping the
// error chain intact so errors.Is and errors.As still work.
package redact
