package store

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
)

// String describes the store without any credential: the store URL's
// password, if any, is redacted. fmt's %v would otherwise print the
// configuration, URL included.
func (s *Store) String() string {
	u := s.cfg.url
	if u == "" {
		u = "default"
	} else if pu, err := url.Parse(u); err == nil && pu.User != nil {
		u = pu.Redacted()
	} else if err != nil && strings.Contains(u, "://") {
		u = "(unparsable URL)"
	}
	return "store.Store(" + u + ")"
}

// GoString is String.
func (s *Store) GoString() string { return s.String() }

// Format routes every verb through String.
func (s *Store) Format(f fmt.State, verb rune) { fmt.Fprint(f, s.String()) }

// LogValue logs String.
func (s *Store) LogValue() slog.Value { return slog.StringValue(s.String()) }
