package store

import (
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/vapsql/vap/registry"
)

// Redacted replaces a secret wherever vap prints one.
const Redacted = "********"

// AlwaysSecret are the fields encrypted whatever the payload says.
var AlwaysSecret = []string{"password", "access_token", "client_secret"}

// Field is one field of a connection: its value and whether it is a secret.
// A secret Field prints as Redacted with every fmt verb and in slog.
type Field struct {
	Value  string
	Secret bool
}

// String returns the value, or Redacted for a secret.
func (f Field) String() string {
	if f.Secret {
		return Redacted
	}
	return f.Value
}

// GoString is like String, quoted.
func (f Field) GoString() string {
	return fmt.Sprintf("store.Field{Value:%q, Secret:%v}", f.String(), f.Secret)
}

// Format makes every verb, %x and %q included, go through String.
func (f Field) Format(s fmt.State, verb rune) {
	if verb == 'v' && s.Flag('#') {
		fmt.Fprint(s, f.GoString())
		return
	}
	fmt.Fprintf(s, fmt.FormatString(s, verb), f.String())
}

// LogValue logs Redacted for a secret.
func (f Field) LogValue() slog.Value { return slog.StringValue(f.String()) }

// MarshalText is String, so encoding/json and other encoders redact too.
func (f Field) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// Connection is a named, typed set of fields. Secrets are plain in memory
// after Get and are never printed: String, GoString, Format and LogValue
// redact them.
type Connection struct {
	Name      string
	Type      string
	Fields    map[string]Field
	Version   int64     // set by the store; Update requires the version read
	CreatedAt time.Time // set by the store
	UpdatedAt time.Time // set by the store
}

// Get returns a field's plain value, or "".
func (c *Connection) Get(field string) string { return c.Fields[field].Value }

// Set sets a field; secret is forced on for the always-secret fields.
func (c *Connection) Set(field, value string, secret bool) {
	if c.Fields == nil {
		c.Fields = map[string]Field{}
	}
	c.Fields[field] = Field{Value: value, Secret: secret || slices.Contains(AlwaysSecret, field)}
}

// Params returns the fields as registry.Params for a Type's Connector.
func (c *Connection) Params() registry.Params {
	m := make(map[string]string, len(c.Fields))
	for k, f := range c.Fields {
		m[k] = f.Value
	}
	return registry.NewParams(c.Name, c.Type, m)
}

// SecretValues returns the non-empty secret values, for scrubbing errors.
func (c *Connection) SecretValues() []string {
	var out []string
	for _, f := range c.Fields {
		if f.Secret && f.Value != "" {
			out = append(out, f.Value)
		}
	}
	return out
}

// Clone returns a deep copy.
func (c *Connection) Clone() *Connection {
	d := *c
	d.Fields = maps.Clone(c.Fields)
	return &d
}

// String shows name, type, version and fields with secrets redacted.
func (c Connection) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, v%d) {", c.Name, c.Type, c.Version)
	for i, k := range slices.Sorted(maps.Keys(c.Fields)) {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %s", k, c.Fields[k].String())
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String: %#v must not reach the values.
func (c Connection) GoString() string { return "&store.Connection{" + c.String() + "}" }

// Format routes every verb through String or GoString.
func (c Connection) Format(s fmt.State, verb rune) {
	if verb == 'v' && s.Flag('#') {
		fmt.Fprint(s, c.GoString())
		return
	}
	fmt.Fprintf(s, fmt.FormatString(s, verb), c.String())
}

// LogValue logs the redacted form.
func (c Connection) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("name", c.Name), slog.String("type", c.Type), slog.Int64("version", c.Version)}
	for _, k := range slices.Sorted(maps.Keys(c.Fields)) {
		attrs = append(attrs, slog.String(k, c.Fields[k].String()))
	}
	return slog.GroupValue(attrs...)
}
