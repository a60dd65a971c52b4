package credentials

import (
	"errors"
	"fmt"

	"github.com/vapsql/vap/internal/redact"
)

// ErrCredentials is matched (with errors.Is) by every *Error.
var ErrCredentials = errors.New("credentials: cannot obtain an access token")

// Steps named by *Error.
const (
	StepStatic       = "use the access token"
	StepClientCreds  = "fetch an OAuth token (client credentials) from the token endpoint"
	StepSessionToken = "read the Posit Connect content session token"
	StepExchange     = "exchange the content session token at Posit Connect"
	// StepViewerExchange is the viewer strategy's exchange.
	StepViewerExchange = "exchange the viewer's user session token at Posit Connect"
	StepPlatform       = "choose a credential strategy"
)

// Error reports a failed credential step. Its message holds no secret.
type Error struct {
	Step string // what was being done, one of the Step constants
	Err  error  // the cause, scrubbed of the source's secrets
}

func (e *Error) Error() string { return fmt.Sprintf("credentials: %s: %v", e.Step, e.Err) }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrCredentials) true.
func (e *Error) Is(target error) bool { return target == ErrCredentials }

// fail builds an *Error whose cause is scrubbed of secrets.
func fail(step string, err error, secrets ...string) *Error {
	return &Error{Step: step, Err: redact.Error(err, secrets...)}
}
