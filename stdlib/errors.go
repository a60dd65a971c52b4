package stdlib

import "fmt"

// ConnectError reports a named connection that could not be turned into a
// connector (its type is unknown or not linked, its fields do not make a
// valid configuration, the store failed) or whose physical connection
// failed. It holds the connection's name and type name only: never its
// configuration, a DSN or a secret. Err, the cause, is scrubbed of the
// connection's secret values; errors.Is and errors.As see through it.
//
// A name the store does not hold is not a ConnectError: it fails with the
// store's missing-name error (errors.Is(err, store.ErrNotFound)), whose text
// is part of vap's contract.
type ConnectError struct {
	Op   string // OpResolve, OpRef, OpMint or OpConnect: the step that failed
	Conn string // the connection name
	Type string // the connection type's name; "" when it was not resolved
	Err  error  // the cause, without secrets

	authError func(error) bool // the type's AuthError, for Step
}

func (e *ConnectError) Error() string {
	switch e.Op {
	case OpConnect:
		return fmt.Sprintf("vap: connect %q (%s): %v", e.Conn, e.Type, e.Err)
	case OpRef:
		return fmt.Sprintf("vap: connection %q (%s): secret reference: %v", e.Conn, e.Type, e.Err)
	case OpMint:
		return fmt.Sprintf("vap: connection %q (%s): minting a credential: %v", e.Conn, e.Type, e.Err)
	}
	if e.Type == "" {
		return fmt.Sprintf("vap: connection %q: %v", e.Conn, e.Err)
	}
	return fmt.Sprintf("vap: connection %q (%s): %v", e.Conn, e.Type, e.Err)
}

// The operations a ConnectError reports.
const (
	OpResolve = "resolve" // resolving the name into the real driver's connector
	OpRef     = "ref"     // resolving a secret reference ({"ref": "env:VAR"})
	OpMint    = "mint"    // minting a credential for the auth_type (aws-iam, azure-ad)
	OpConnect = "connect" // opening a physical connection
)

// Unwrap returns the cause.
func (e *ConnectError) Unwrap() error { return e.Err }
