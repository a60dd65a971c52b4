package credential

import (
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"
)

// redacted replaces a value wherever this package prints one.
const redacted = "********"

// String shows whether a value is set, its expiry and the companion
// fields' names, never a value.
func (s Secret) String() string {
	v := ""
	if s.Value != "" {
		v = redacted
	}
	return fmt.Sprintf("credential.Secret{Value:%s Expires:%s Fields:%v ConnLifetime:%s Renewable:%v}", v, stamp(s.Expires), slices.Sorted(maps.Keys(s.Fields)), s.ConnLifetime, s.Renew != nil)
}

// GoString is String.
func (s Secret) GoString() string { return s.String() }

// Format routes every verb through String.
func (s Secret) Format(f fmt.State, verb rune) { fmt.Fprint(f, s.String()) }

// LogValue logs String.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// String shows the minted fields' names and expiry, never a value.
func (m Minted) String() string {
	return fmt.Sprintf("credential.Minted{Fields:%v Expires:%s ConnLifetime:%s}", slices.Sorted(maps.Keys(m.Fields)), stamp(m.Expires), m.ConnLifetime)
}

// GoString is String.
func (m Minted) GoString() string { return m.String() }

// Format routes every verb through String.
func (m Minted) Format(f fmt.State, verb rune) { fmt.Fprint(f, m.String()) }

// LogValue logs String.
func (m Minted) LogValue() slog.Value { return slog.StringValue(m.String()) }

func stamp(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}
