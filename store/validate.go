package store

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vapsql/vap/credential"

	"github.com/vapsql/vap/internal/termsafe"

	"github.com/vapsql/vap/registry"
)

// MaxNameLen is the longest connection name, in bytes.
const MaxNameLen = 1024

// ValidateName accepts a non-empty valid UTF-8 string of at most MaxNameLen
// bytes, as the platform does, without characters that act on a terminal
// (control characters, escape sequences, line separators, bidirectional
// overrides): a name is printed by the CLI and in errors.
func ValidateName(name string) error {
	switch {
	case name == "":
		return &InvalidError{Err: errors.New("name is empty")}
	case !utf8.ValidString(name):
		return &InvalidError{Err: errors.New("name is not valid UTF-8")}
	case strings.ContainsFunc(name, termsafe.Unsafe):
		return &InvalidError{Err: errors.New("name holds a control character or a bidirectional override; names must print as themselves")}
	case len(name) > MaxNameLen:
		return &InvalidError{Err: fmt.Errorf("name is %d bytes long; the limit is %d", len(name), MaxNameLen)}
	}
	return nil
}

// Validate checks c's name, type and fields against reg (registry.Default
// when nil), and puts c in the form it is stored in: the type's canonical
// name (" PostgreSQL " and "pg" become "postgresql"), the type's secret
// fields marked secret, and the values the type's Normalize rewrites (a
// relative SQLite path made absolute). It changes nothing else.
func Validate(c *Connection, reg *registry.Registry) error {
	if reg == nil {
		reg = registry.Default
	}
	if err := ValidateName(c.Name); err != nil {
		return err
	}
	t, err := reg.Resolve(c.Type)
	if err != nil {
		return &InvalidError{Name: c.Name, Err: err}
	}
	for _, k := range slices.Sorted(maps.Keys(c.Fields)) {
		f := c.Fields[k]
		if k == "" {
			return &InvalidError{Name: c.Name, Err: errors.New("a field name is empty")}
		}
		if f.Ref {
			if err := checkRef(k, f.Value); err != nil {
				return &InvalidError{Name: c.Name, Err: err}
			}
			f.Secret = false
			c.Fields[k] = f
			continue
		}
		if t.IsSecret(k) && !f.Secret {
			f.Secret = true
			c.Fields[k] = f
		}
	}
	c.Type = t.Name
	if err := t.Validate(validationParams(c)); err != nil {
		return &InvalidError{Name: c.Name, Err: err}
	}
	if err := validateAuth(t, c); err != nil {
		return &InvalidError{Name: c.Name, Err: err}
	}
	if t.Normalize != nil {
		nf, err := t.Normalize(c.Params())
		if err != nil {
			return &InvalidError{Name: c.Name, Err: err}
		}
		for k, v := range nf {
			f, ok := c.Fields[k]
			if !ok || f.Ref {
				continue
			}
			f.Value = v
			c.Fields[k] = f
		}
	}
	return nil
}

// NoRefFields are the fields that cannot be given as a secret reference:
// where the connection goes and how it authenticates are fixed when it is
// stored, and every sealed secret and reference is bound to them.
var NoRefFields = []string{"host", "port", "auth_type"}

// checkRef checks the reference of field k: not a NoRefFields field, then
// credential.CheckRef (syntax; a scheme this program links or vap
// provides).
func checkRef(k, ref string) error {
	if slices.Contains(NoRefFields, k) || strings.HasPrefix(k, registry.OptionPrefix) {
		return fmt.Errorf("field %q cannot be a secret reference (not allowed in: %s and driver options): give its value", k, strings.Join(NoRefFields, ", "))
	}
	if err := credential.CheckRef(ref); err != nil {
		return fmt.Errorf("field %q: %w", k, err)
	}
	return nil
}

// validationParams are c's Params with each reference standing for its
// value: a required field given as a reference is present.
func validationParams(c *Connection) registry.Params {
	m := make(map[string]string, len(c.Fields))
	for k, f := range c.Fields {
		m[k] = f.Value
	}
	return registry.NewParams(c.Name, c.Type, m)
}

// validateAuth runs the credential.Validator of c's auth_type when the type
// mints it (Type.CredentialAuths) and this program links it; an auth type
// that is not linked here is checked where it is used.
func validateAuth(t *registry.Type, c *Connection) error {
	at := c.Fields["auth_type"].Value
	if at == "" || !slices.Contains(t.CredentialAuths, at) {
		return nil
	}
	a, err := credential.LookupAuth(at, t.Name)
	if err != nil {
		var nl *credential.NotLinkedError
		if errors.As(err, &nl) {
			return nil
		}
		return err
	}
	if v, ok := a.(credential.Validator); ok {
		return v.Validate(c.Params())
	}
	return nil
}
