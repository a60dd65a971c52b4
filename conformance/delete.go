package conformance

import (
	"errors"
	"fmt"

	vapdriver "github.com/vapsql/vap/driver"
	"github.com/vapsql/vap/store"
)

// missingName is the platform's missing-name message, spelled out here
// rather than taken from the store, so the check compares against the seed.
func missingName(name string) string {
	return "No connection found with name: " + name + ". Please check your connection name and verify that a connection with that name exists in the connection store."
}

// checkDelete deletes a scratch copy of the connection and requires the
// exact missing-name error from a new connector, from the next connection of
// a connector made before the deletion, and from a second delete.
func checkDelete(e *env) outcome {
	s, err := newScratch(e, nil)
	if err != nil {
		return failErr("copy the connection to a scratch store", e.observe(err))
	}
	defer s.close()
	before, err := vapdriver.NewConnector(s.name, vapdriver.WithStore(s.st), vapdriver.WithRegistry(s.st.Registry()))
	if err != nil {
		return failErr("connector before the delete", e.observe(err))
	}
	if err := s.st.Delete(e.ctx, s.name); err != nil {
		return failErr("delete", e.observe(err))
	}
	want := missingName(s.name)
	_, errNew := vapdriver.NewConnector(s.name, vapdriver.WithStore(s.st), vapdriver.WithRegistry(s.st.Registry()))
	_, errOld := before.Connect(e.ctx)
	errAgain := s.st.Delete(e.ctx, s.name)
	for _, c := range []struct {
		what string
		err  error
	}{{"new connector", errNew}, {"connector made before the delete", errOld}, {"second delete", errAgain}} {
		e.observe(c.err)
		switch {
		case c.err == nil:
			return fail(c.what + ": no error")
		case c.err.Error() != want:
			return fail(fmt.Sprintf("%s: %q, want %q", c.what, c.err, want))
		case !errors.Is(c.err, store.ErrNotFound):
			return fail(c.what + ": error does not match store.ErrNotFound")
		}
	}
	return pass("new connector, existing connector and second delete: exact message, errors.Is store.ErrNotFound")
}
