package store

import (
	"errors"
	"fmt"

	"github.com/vapsql/vap/internal/termsafe"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/keyset"
)

var (
	// ErrNotFound is matched by the error for a connection name that neither
	// the environment nor the store holds.
	// It is backend.ErrNotFound, which backends return.
	ErrNotFound = backend.ErrNotFound
	// ErrExists is returned by Create for a name already stored. It is
	// backend.ErrExists.
	ErrExists = backend.ErrExists
	// ErrConflict is returned by Update when the stored version is not the
	// one the caller read: another writer got there first. It is
	// backend.ErrConflict.
	ErrConflict = backend.ErrConflict
	// ErrUnavailable is matched by the error of a store that could not be
	// reached or refused the connection, after Resolve retried it within
	// its deadline. It is backend.ErrUnavailable.
	ErrUnavailable = backend.ErrUnavailable
	// ErrInvalid is matched by every validation error.
	ErrInvalid = errors.New("store: invalid connection")
	// ErrKeyset is matched by errors loading or using the keyset. It is
	// keyset.ErrKeyset.
	ErrKeyset = keyset.ErrKeyset
	// ErrDecrypt is matched when a stored secret cannot be opened: wrong
	// keyset, tampered ciphertext, or a ciphertext moved to another field.
	ErrDecrypt = errors.New("store: cannot decrypt secret")
	// ErrNoStore is matched when a read names a store that does not exist
	// (a mistyped VAP_STORE path): reads never create one.
	ErrNoStore = errors.New("store: no store at that location")
	// ErrClosed is returned by every Store method called after Close.
	ErrClosed = errors.New("store: the store is closed")
)

// NotFoundError is the missing-name error. Its text is the platform's, word
// for word; a name that would act on a terminal is printed quoted and
// escaped.
type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string {
	return "No connection found with name: " + termsafe.String(e.Name) + ". Please check your connection name and verify that a connection with that name exists in the connection store."
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// InvalidError is a rejected input. It carries no field value.
type InvalidError struct {
	Name string // connection name, may be empty when the name is the problem
	Err  error  // the reason
}

func (e *InvalidError) Error() string {
	if e.Name == "" {
		return "invalid connection: " + e.Err.Error()
	}
	return fmt.Sprintf("invalid connection %q: %v", e.Name, e.Err)
}

// Unwrap returns the reason.
func (e *InvalidError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

// DecryptError names the connection and field whose secret did not open.
type DecryptError struct {
	Name, Field string
}

func (e *DecryptError) Error() string {
	return fmt.Sprintf("connection %q: cannot decrypt field %q: wrong keyset, or the stored ciphertext was altered", e.Name, e.Field)
}

// Is makes errors.Is(err, ErrDecrypt) true.
func (e *DecryptError) Is(target error) bool { return target == ErrDecrypt }
