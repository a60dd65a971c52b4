package conformance_test

import (
	"context"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/observe"
	"github.com/vapsql/vap/peer/orapeer"
	"github.com/vapsql/vap/peer/peerproc"
)

// The Oracle peer runs in a child process too (peerproc), serving orapeer
// until its stdin closes.
const (
	envOraChild    = "VAP_CONFORMANCE_ORA_CHILD"
	envOraPassword = "VAP_CONFORMANCE_ORA_PASSWORD"
	oraUser        = "vap_conformance"
)

// serveOraChild is the Oracle peer child's main.
func serveOraChild() int {
	return peerproc.Serve(func(ctx context.Context, announce io.Writer) error {
		pw := os.Getenv(envOraPassword)
		return orapeer.Serve(ctx, orapeer.Config{User: oraUser, Password: pw, AdminToken: pw}, announce)
	})
}

// TestOraclePeer runs the suite for the oracle type against the local
// Oracle peer (peer/orapeer: the real go-ora over TNS/TTC with the O5LOGON
// 12c verifier, statements run on SQLite), the login's password checked.
// The peer's admin endpoint (observe.Remote) is the target's Observer.
func TestOraclePeer(t *testing.T) {
	pw := `p@ss:w/o;rd "q" %+\ 'x' ü-` + randHex()
	ep := peerproc.StartAs[orapeer.Endpoint](t, envOraChild, envOraPassword+"="+pw)
	if ep.Port == 0 || ep.AdminURL == "" {
		t.Fatalf("the Oracle peer announced %+v", ep)
	}
	st := testenv.Store(t)
	testenv.Put(t, st, "conformance-oracle", "oracle", map[string]string{
		"host": ep.Host, "port": strconv.Itoa(ep.Port), "user_name": oraUser, "password": pw, "dbname": ep.Service,
	})
	// go-ora stops the statement on the server (a TNS break, seen by the
	// peer) but returns ORA-01013 instead of the context's error: the
	// cancel and deadline checks prove vap's readers through the type's
	// Canceled hook and note that database/sql callers get ORA-01013.
	// Under the race detector they are declared gaps: go-ora itself races
	// when it cancels (testenv.GoOraCancelRace).
	var gaps map[string]string
	if testenv.Race {
		gaps = conformance.GapsFor([]string{"cancel", "deadline"}, testenv.GoOraCancelRace)
	}
	runTarget(t, conformance.Target{Name: "conformance-oracle", Store: st, Gaps: gaps,
		Observer: &observe.Remote{URL: ep.AdminURL, Token: pw}}, "oracle (local peer)")
}
