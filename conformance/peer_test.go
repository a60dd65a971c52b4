package conformance_test

import (
	"strconv"
	"testing"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/conformance/dbsqlpeer"
	"github.com/vapsql/vap/internal/testenv"
)

// TestDatabricksPeer runs the suite for the databricks type against the
// local Databricks SQL peer (the real databricks-sql-go driver over Thrift
// HTTP, statements run on SQLite), with a personal access token.
func TestDatabricksPeer(t *testing.T) {
	token := "dapi-" + randHex()
	p, err := dbsqlpeer.Start(dbsqlpeer.Config{Token: token})
	if err != nil {
		t.Fatalf("start the peer: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	st := testenv.Store(t)
	testenv.Put(t, st, "conformance-databricks", "databricks", map[string]string{
		"server_hostname": p.Host(), "port": strconv.Itoa(p.Port()), "http_path": p.HTTPPath(), "access_token": token,
	})
	runTarget(t, conformance.Target{Name: "conformance-databricks", Store: st, Gaps: map[string]string{
		"stream-100k": "the peer runs in this process and holds each result in memory, so the process's heap cannot show the client streaming (and SQLite has no range())",
	}}, "databricks (local peer)")
}
