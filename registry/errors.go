package registry

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownType is matched (with errors.Is) by the error returned for a
// connection type that no registered Type declares.
var ErrUnknownType = errors.New("registry: unknown connection type")

// ErrInvalidField is matched by every validation error about a field.
var ErrInvalidField = errors.New("registry: invalid field")

// UnknownTypeError reports a connection type the registry does not know, and
// lists the known ones.
type UnknownTypeError struct {
	Type  string   // the type asked for
	Known []string // canonical names of the registered types, sorted
}

func (e *UnknownTypeError) Error() string {
	return fmt.Sprintf("unknown connection type %q; known types: %s", e.Type, strings.Join(e.Known, ", "))
}

// Is makes errors.Is(err, ErrUnknownType) true.
func (e *UnknownTypeError) Is(target error) bool { return target == ErrUnknownType }

// FieldError reports a field that is missing or malformed. It never holds the
// field's value, which may be a secret.
type FieldError struct {
	Type   string // connection type
	Field  string // field name
	Reason string // what is wrong, without the value
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("connection type %s: field %q %s", e.Type, e.Field, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidField) true.
func (e *FieldError) Is(target error) bool { return target == ErrInvalidField }
