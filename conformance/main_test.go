package conformance_test

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/peer/peerproc"
)

var (
	connFlag     = flag.String("conn", "", "run the suite against this stored connection (default store); also "+envConn)
	updateReadme = flag.Bool("update-readme", false, "write the conformance matrix of this run into ../README.md")
)

// envConn names a stored connection to run the suite against.
const envConn = "VAP_CONFORMANCE_CONN"

// matrix collects each CI target's results, in the order the tests ran.
var matrix struct {
	sync.Mutex
	cols []conformance.Column
}

// runTarget runs the suite and records the results for the matrix.
func runTarget(t *testing.T, target conformance.Target, label string) {
	t.Helper()
	rs := conformance.Run(t, target)
	matrix.Lock()
	matrix.cols = append(matrix.cols, conformance.Column{Label: label, Results: rs})
	matrix.Unlock()
}

func TestMain(m *testing.M) {
	if peerproc.Child(envPeerChild) {
		os.Exit(servePeerChild())
	}
	if peerproc.Child(envTDSChild) {
		os.Exit(serveTDSChild())
	}
	if peerproc.Child(envOraChild) {
		os.Exit(serveOraChild())
	}
	flag.Parse()
	code := m.Run()
	if *updateReadme {
		if code != 0 {
			fmt.Fprintln(os.Stderr, "conformance: tests failed; README.md not updated")
		} else if err := conformance.UpdateReadme("../README.md", sortedColumns()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		} else {
			fmt.Fprintln(os.Stderr, "conformance: matrix written to README.md")
		}
	}
	os.Exit(code)
}

// columnOrder is the matrix's column order; other targets follow by name.
var columnOrder = []string{"postgresql", "sqlalchemy-redshift", "mysql", "sqlite",
	"databricks (local peer, arrow)", "databricks (local peer, cloudfetch)",
	"mssql (local peer)", "mssql+pymssql (local peer)", "mssql+pymysql (local peer)", "mssql+pyodbc (local peer)", "oracle (local peer)"}

func sortedColumns() []conformance.Column {
	matrix.Lock()
	defer matrix.Unlock()
	cols := slices.Clone(matrix.cols)
	rank := func(l string) int {
		if i := slices.Index(columnOrder, l); i >= 0 {
			return i
		}
		return len(columnOrder)
	}
	slices.SortStableFunc(cols, func(a, b conformance.Column) int {
		if d := rank(a.Label) - rank(b.Label); d != 0 {
			return d
		}
		return strings.Compare(a.Label, b.Label)
	})
	return cols
}
