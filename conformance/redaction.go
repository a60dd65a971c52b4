package conformance

import (
	"fmt"
	"slices"

	"github.com/vapsql/vap/internal/redact"
	"github.com/vapsql/vap/store"
)

// checkRedaction provokes connection errors on a scratch copy whose secret
// fields hold planted values (and whose database name, where the type has
// one, is a planted value marked secret, which servers echo in their
// errors), then searches every error message seen during the whole run, and
// the printed forms of the resolved connection, for any secret value.
func checkRedaction(e *env) outcome {
	if o := provoke(e); o.status == Fail {
		return o
	}
	secrets := e.secrets()
	if len(secrets) == 0 {
		return fail("no secret to look for")
	}
	e.mu.Lock()
	errs := slices.Clone(e.errs)
	e.mu.Unlock()
	for i, msg := range errs {
		if redact.Contains(msg, secrets...) {
			return fail(fmt.Sprintf("error %d of %d holds a secret: %s", i+1, len(errs), redact.String(msg, secrets...)))
		}
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		if out := fmt.Sprintf(verb, e.conn); redact.Contains(out, secrets...) {
			return fail(fmt.Sprintf("fmt %s of the connection prints a secret", verb))
		}
	}
	return pass(fmt.Sprintf("%d errors and 6 fmt verbs searched for %d secret values", len(errs), len(secrets)))
}

// provoke opens the scratch copy with planted secrets and records the error.
func provoke(e *env) outcome {
	s, err := newScratch(e, func(c *store.Connection) {
		for _, f := range e.typ.Secrets {
			if _, ok := c.Fields[f]; ok || slices.Contains(e.typ.Required, f) {
				v := unique("vap-canary-secret-")
				e.plant(v)
				c.Set(f, v, true)
			}
		}
		for _, f := range []string{"dbname", "path"} {
			if slices.Contains(e.typ.Required, f) || slices.Contains(e.typ.Optional, f) {
				v := unique("vapcanarydb")
				if f == "path" {
					v = "/nonexistent-" + v + "/" + v + ".db"
				}
				e.plant(v)
				c.Set(f, v, true)
			}
		}
	})
	if err != nil {
		return failErr("copy the connection to a scratch store", e.observe(err))
	}
	defer s.close()
	db, err := s.open()
	if err != nil {
		e.observe(err)
		return outcome{}
	}
	defer db.Close()
	e.observe(db.PingContext(e.ctx))
	return outcome{}
}
