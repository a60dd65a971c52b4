package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	dbsql "github.com/databricks/databricks-sql-go"
	dbsqllogger "github.com/databricks/databricks-sql-go/logger"

	"github.com/vapsql/vap/internal/peercmd/peercmdtest"
	"github.com/vapsql/vap/peer/dbsqlpeer"
)

func init() { dbsqllogger.SetLogOutput(io.Discard) }

// toPeer sends the driver's requests for localhost (the Thrift calls and
// the feature-flag request the driver makes on port 443) to the peer at
// base, and refuses every other host.
type toPeer struct{ base string }

func (t toPeer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Hostname() != "localhost" {
		return nil, fmt.Errorf("toPeer: refusing host %q", r.URL.Hostname())
	}
	u, err := url.Parse(t.base)
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = u.Scheme, u.Host
	return http.DefaultTransport.RoundTrip(r)
}

// TestServesUntilStdinCloses runs the command with -until-stdin-eof, reads
// the announced address, queries the peer through databricks-sql-go and
// closes stdin: the command must return 0.
func TestServesUntilStdinCloses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := peercmdtest.Start(t, ctx, run, []string{"-until-stdin-eof", "-max-result-rows", "10"},
		peercmdtest.Env(map[string]string{"DBSQLPEER_TOKEN": "dapi-cmd-test"}))
	line := cmd.Line
	var a dbsqlpeer.Address
	if err := json.Unmarshal([]byte(line), &a); err != nil || a.Port == 0 || a.Host != "localhost" {
		t.Fatalf("address line %q: %+v, %v", line, a, err)
	}
	c, err := dbsql.NewConnector(dbsql.WithServerHostname(a.Host), dbsql.WithPort(a.Port), dbsql.WithHTTPPath(a.HTTPPath),
		dbsql.WithAccessToken("dapi-cmd-test"), dbsql.WithRetries(-1, 0, 0), dbsql.WithTransport(toPeer{a.URL}))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM range(10)").Scan(&n); err != nil || n != 10 {
		t.Fatalf("count over range(10): %d, %v", n, err)
	}
	// -max-result-rows reached the peer.
	if _, err := db.QueryContext(ctx, "SELECT id FROM range(11)"); err == nil || !strings.Contains(err.Error(), "54000") {
		t.Fatalf("11 rows with -max-result-rows 10: %v, want SQLSTATE 54000", err)
	}
	db.Close()
	cmd.Stop(t)
}

func TestBadArguments(t *testing.T) {
	peercmdtest.BadArguments(t, run, []peercmdtest.BadArgument{
		{Name: "no credential", Args: nil, Want: "needs a Token"},
		{Name: "stray argument", Args: []string{"-token", "x", "extra"}, Want: `unexpected argument "extra"`},
		{Name: "bad max rows", Args: []string{"-token", "x", "-max-result-rows", "0"}, Want: "must be positive"},
		{Name: "bad result format", Args: []string{"-token", "x", "-results", "rows"}, Want: `unknown result format "rows"`},
		{Name: "zero cloudfetch threshold", Args: []string{"-token", "x", "-cloudfetch-threshold", "0"}, Want: "must not be 0"},
		{Name: "unknown flag", Args: []string{"-nope"}, Want: "flag provided but not defined"},
	})
}
