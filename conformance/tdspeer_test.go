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
	"github.com/vapsql/vap/peer/peerproc"
	"github.com/vapsql/vap/peer/tdspeer"
)

// The SQL Server peer runs in a child process too (peerproc), serving
// tdspeer until its stdin closes, so the stream check measures the client.
const (
	envTDSChild    = "VAP_CONFORMANCE_TDS_CHILD"
	envTDSPassword = "VAP_CONFORMANCE_TDS_PASSWORD"
	tdsUser        = "vap_conformance"
)

// serveTDSChild is the SQL Server peer child's main.
func serveTDSChild() int {
	return peerproc.Serve(func(ctx context.Context, announce io.Writer) error {
		cfg := tdspeer.Config{User: tdsUser, Password: os.Getenv(envTDSPassword), MaxResultRows: peerMaxRows}
		return tdspeer.Serve(ctx, cfg, announce)
	})
}

// TestSQLServerPeer runs the suite for the four SQL Server type names
// against the local SQL Server peer (peer/tdspeer: the real go-mssqldb over
// TDS 7.4, statements run on SQLite), with vap's default encryption
// (encrypt=true, the certificate verified against the peer's CA given as
// options.certificate) and the login's password checked. The peer's admin
// endpoint (observe.Remote) is the target's Observer: it shows the long
// statement running and stopped, and ends the pool's sessions.
func TestSQLServerPeer(t *testing.T) {
	pw := `p@ss:w/o;rd "q" %+\ 'x' ü-` + randHex()
	l := peerproc.StartAs[tdspeer.Listening](t, envTDSChild, envTDSPassword+"="+pw)
	if l.Port == 0 || l.CAFile == "" {
		t.Fatalf("the SQL Server peer announced %+v", l)
	}
	for _, typ := range []string{"mssql", "mssql+pyodbc", "mssql+pymysql", "mssql+pymssql"} {
		t.Run(typ, func(t *testing.T) {
			st := testenv.Store(t)
			name := "conformance-" + typ
			testenv.Put(t, st, name, typ, map[string]string{
				"host": l.Host, "port": strconv.Itoa(l.Port), "user_name": tdsUser, "password": pw,
				"dbname": l.Database, "options.certificate": l.CAFile,
			})
			runTarget(t, conformance.Target{Name: name, Store: st,
				Observer: &observe.Remote{URL: l.AdminURL, Token: pw}}, typ+" (local peer)")
		})
	}
}
