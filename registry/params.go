package registry

import (
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// OptionPrefix starts the name of a field that carries a driver option, as in
// "options.sslmode". A type passes on only the options it declares.
const OptionPrefix = "options."

// Params are the plain (decrypted) fields of one connection, as handed to a
// Type's Connector and Validate. Params never print their values: String,
// GoString and LogValue list field names only, so a Params in an error or a
// log line cannot leak a secret.
type Params struct {
	name   string
	typ    string
	fields map[string]string
}

// NewParams returns Params for connection name of type typ. fields is copied.
func NewParams(name, typ string, fields map[string]string) Params {
	return Params{name: name, typ: typ, fields: maps.Clone(fields)}
}

// Name returns the connection's name.
func (p Params) Name() string { return p.name }

// Type returns the connection's type as stored (it may be an alias).
func (p Params) Type() string { return p.typ }

// Get returns the value of field, or "" when it is absent.
func (p Params) Get(field string) string { return p.fields[field] }

// Lookup returns the value of field and whether it is present.
func (p Params) Lookup(field string) (string, bool) {
	v, ok := p.fields[field]
	return v, ok
}

// Host returns the "host" field ready for net.JoinHostPort: trimmed, and an
// IPv6 literal written in brackets ("[::1]") unbracketed.
func (p Params) Host() string {
	h := strings.TrimSpace(p.fields["host"])
	if len(h) > 2 && h[0] == '[' && h[len(h)-1] == ']' {
		h = h[1 : len(h)-1]
	}
	return h
}

// Keys returns the field names present, sorted.
func (p Params) Keys() []string { return slices.Sorted(maps.Keys(p.fields)) }

// Option returns the value of the driver option key (field "options."+key).
func (p Params) Option(key string) (string, bool) {
	v, ok := p.fields[OptionPrefix+key]
	return v, ok
}

// Options returns the driver options present, without their prefix.
func (p Params) Options() map[string]string {
	out := map[string]string{}
	for k, v := range p.fields {
		if o, ok := strings.CutPrefix(k, OptionPrefix); ok {
			out[o] = v
		}
	}
	return out
}

// Port returns the "port" field as an int, or def when it is absent or empty.
// Validate has already checked its range.
func (p Params) Port(def int) int {
	v := strings.TrimSpace(p.fields["port"])
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def
	}
	return n
}

// Bool returns field as a bool ("true", "1", "yes", "on" and their opposites),
// or def when absent.
func (p Params) Bool(field string, def bool) (bool, error) {
	v, ok := p.fields[field]
	if !ok || strings.TrimSpace(v) == "" {
		return def, nil
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off":
		return false, nil
	}
	return def, &FieldError{Type: p.typ, Field: field, Reason: "must be true or false"}
}

// String lists the connection name, type and field names, never values.
func (p Params) String() string {
	return fmt.Sprintf("registry.Params{name=%q type=%q fields=%v}", p.name, p.typ, p.Keys())
}

// GoString is String, so %#v cannot reach the values either.
func (p Params) GoString() string { return p.String() }

// Format routes every verb (%d, %x and %t included) through String.
func (p Params) Format(f fmt.State, verb rune) { fmt.Fprint(f, p.String()) }

// LogValue logs the name, type and field names only.
func (p Params) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", p.name), slog.String("type", p.typ), slog.Any("fields", p.Keys()))
}
