package conformance

import (
	"context"
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
	// Observer, when set, watches the server from outside the SQL sessions:
	// the cancel and deadline checks ask it whether the long statement runs,
	// and pool-recovery has it end the server's sessions, instead of SQL.
	// Give one where the database's SQL cannot see or end another session
	// (Databricks: dbsqlpeer.Remote on the local peer).
	Observer Observer
}

// Observer sees and acts on the server the way an administrator does,
// outside the SQL sessions.
type Observer interface {
	// Running returns the text of every statement the server is running
	// now, in any session.
	Running(ctx context.Context) ([]string, error)
	// DropSessions ends every session the server has open, as a restart or
	// a session timeout does, and returns how many it ended.
	DropSessions(ctx context.Context) (int, error)
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
