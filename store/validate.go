package store

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

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
	for k, f := range c.Fields {
		if k == "" {
			return &InvalidError{Name: c.Name, Err: errors.New("a field name is empty")}
		}
		if t.IsSecret(k) && !f.Secret {
			f.Secret = true
			c.Fields[k] = f
		}
	}
	c.Type = t.Name
	if err := t.Validate(c.Params()); err != nil {
		return &InvalidError{Name: c.Name, Err: err}
	}
	if t.Normalize != nil {
		nf, err := t.Normalize(c.Params())
		if err != nil {
			return &InvalidError{Name: c.Name, Err: err}
		}
		for k, v := range nf {
			f, ok := c.Fields[k]
			if !ok {
				continue
			}
			f.Value = v
			c.Fields[k] = f
		}
	}
	return nil
}
