package postgres

import (
	"fmt"
	"log/slog"
)

// String names the backend's schema, never its connection settings (which
// hold the store's password).
func (b *Backend) String() string { return "postgres.Backend(schema " + b.schema + ")" }

// GoString is String.
func (b *Backend) GoString() string { return b.String() }

// Format routes every verb through String.
func (b *Backend) Format(f fmt.State, verb rune) { fmt.Fprint(f, b.String()) }

// LogValue logs String.
func (b *Backend) LogValue() slog.Value { return slog.StringValue(b.String()) }
