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

// Field is one field of a connection: its value and whether it is a secret,
// or a secret reference. A secret Field prints as Redacted with every fmt
// verb and in slog.
//
// A reference (Ref true) holds "SCHEME:REST" in Value ({"ref": "env:VAR"}
// in a payload): it names where the value is found at connect time
// (package credential resolves it) and is not a secret itself, so it
// prints as "ref(SCHEME:REST)". The store seals it all the same, bound to
// the connection's plain fields like a secret, so that nobody without the
// keyset can point it elsewhere or point the connection at another host.
// A reference is never Secret, and the resolved value never reaches the
// store.
type Field struct {
	Value  string
	Secret bool
	Ref    bool
}

// String returns the value, Redacted for a secret, or "ref(SCHEME:REST)"
// for a reference.
func (f Field) String() string {
	if f.Secret {
		return Redacted
	}
	if f.Ref {
		return "ref(" + f.Value + ")"
	}
	return f.Value
}

// GoString is like String, quoted.
func (f Field) GoString() string {
	if f.Ref {
		return fmt.Sprintf("store.Field{Value:%q, Ref:true}", f.Value)
	}
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

// SetRef sets field to the secret reference ref ("env:PGPASSWORD"). The
// reference is checked when the connection is stored (Validate).
func (c *Connection) SetRef(field, ref string) {
	if c.Fields == nil {
		c.Fields = map[string]Field{}
	}
	c.Fields[field] = Field{Value: ref, Ref: true}
}

// Params returns the fields as registry.Params for a Type's Connector.
// Fields given as references are left out: their values exist only at
// connect time (see Refs).
func (c *Connection) Params() registry.Params {
	m := make(map[string]string, len(c.Fields))
	for k, f := range c.Fields {
		if !f.Ref {
			m[k] = f.Value
		}
	}
	return registry.NewParams(c.Name, c.Type, m)
}

// Refs returns the fields given as secret references, by field name, as
// "SCHEME:REST"; nil when there are none.
func (c *Connection) Refs() map[string]string {
	var out map[string]string
	for k, f := range c.Fields {
		if f.Ref {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = f.Value
		}
	}
	return out
}

// SecretValues returns the non-empty secret values, for scrubbing errors.
// References are not secrets and are not returned.
func (c *Connection) SecretValues() []string {
	var out []string
	for _, f := range c.Fields {
		if f.Secret && !f.Ref && f.Value != "" {
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
