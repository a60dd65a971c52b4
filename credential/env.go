package credential

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// envResolver resolves "env:VAR": the value of the environment variable
// VAR of the process that connects, read at each resolution (so a changed
// variable is seen once the cached value's TTL has passed). An unset or
// empty variable is an error.
type envResolver struct {
	lookup func(string) (string, bool)
}

func (e envResolver) Resolve(ctx context.Context, ref string) (Secret, error) {
	if err := e.CheckRef(ref); err != nil {
		return Secret{}, err
	}
	v, ok := e.lookup(ref)
	if !ok {
		return Secret{}, fmt.Errorf("env: environment variable %s is not set", ref)
	}
	if v == "" {
		return Secret{}, fmt.Errorf("env: environment variable %s is empty", ref)
	}
	return Secret{Value: v}, nil
}

// CheckRef accepts a variable name: letters, digits and '_', not starting
// with a digit.
func (envResolver) CheckRef(ref string) error {
	for i, r := range ref {
		if r != '_' && (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') && (i == 0 || r < '0' || r > '9') {
			return errors.New(`env: expected env:VARIABLE, a name of letters, digits and "_" not starting with a digit`)
		}
	}
	return nil
}

func init() { RegisterResolver("env", envResolver{lookup: os.LookupEnv}) }
