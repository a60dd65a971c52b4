package store

import (
	"fmt"
	"log/slog"

	"github.com/vapsql/vap/store/backend"
)

// String describes the store without any credential: the store URL's
// passwords (userinfo, password and sslpassword parameters, keyword/value
// strings), if any, are redacted. fmt's %v would otherwise print the
// configuration, URL included.
func (s *Store) String() string {
	u := s.cfg.url
	if u == "" {
		u = "default"
	} else {
		u = backend.RedactURL(u)
	}
	return "store.Store(" + u + ")"
}

// GoString is String.
func (s *Store) GoString() string { return s.String() }

// Format routes every verb through String.
func (s *Store) Format(f fmt.State, verb rune) { fmt.Fprint(f, s.String()) }

// LogValue logs String.
func (s *Store) LogValue() slog.Value { return slog.StringValue(s.String()) }
