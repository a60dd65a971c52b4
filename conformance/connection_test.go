package conformance_test

import (
	"os"
	"testing"

	"github.com/vapsql/vap/conformance"
)

// TestConnection runs the suite against a connection of your own, from the
// default store: go test ./conformance -run TestConnection -args -conn NAME.
func TestConnection(t *testing.T) {
	name := *connFlag
	if name == "" {
		name = os.Getenv(envConn)
	}
	if name == "" {
		t.Skip("no connection named: pass -args -conn NAME or set " + envConn)
	}
	conformance.Run(t, conformance.Target{Name: name})
}
