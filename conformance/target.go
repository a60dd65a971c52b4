package conformance

import (
	"maps"

	vapdriver "github.com/vapsql/vap/driver"
	"github.com/vapsql/vap/store"
)

// Target is a stored connection to run the suite against.
type Target struct {
	// Name is the connection's name.
	Name string
	// Store resolves Name; nil means the default store (the one sql.Open("vap",
	// name) uses: VAP_CONN_<NAME>, VAP_STORE, VAP_HOME).
	Store *store.Store
	// Label names the target in tables and in the README matrix; empty means
	// the connection's type.
	Label string
	// Gaps declares the checks that cannot be proven where the target runs,
	// check ID → reason. A declared gap is reported as NotProvable with its
	// reason and the check is not run. IDs are those of Checks.
	Gaps map[string]string
}

func (t Target) store() *store.Store {
	if t.Store != nil {
		return t.Store
	}
	return vapdriver.DefaultStore()
}

// GapsFor returns a Gaps map declaring each of ids with the same reason,
// merged over the given maps (later ones win).
func GapsFor(ids []string, reason string, more ...map[string]string) map[string]string {
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		out[id] = reason
	}
	for _, m := range more {
		maps.Copy(out, m)
	}
	return out
}
