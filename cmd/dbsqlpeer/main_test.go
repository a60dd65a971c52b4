package main

import (
	"bufio"
	"bytes"
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

	"github.com/vapsql/vap/peer/dbsqlpeer"
)

func init() { dbsqllogger.SetLogOutput(io.Discard) }

func noEnv(string) string { return "" }

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
	stdinR, stdinW := io.Pipe()
	outR, outW := io.Pipe()
	var stderr bytes.Buffer
	env := func(k string) string {
		if k == "DBSQLPEER_TOKEN" {
			return "dapi-cmd-test"
		}
		return ""
	}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"-until-stdin-eof", "-max-result-rows", "10"}, env, stdinR, outW, &stderr)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("read the address: %v (stderr %q)", err, stderr.String())
	}
	go io.Copy(io.Discard, outR)
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
	stdinW.Close()
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit code %d, stderr %q", c, stderr.String())
		}
	case <-ctx.Done():
		t.Fatal("the command did not stop when stdin closed")
	}
}

func TestBadArguments(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no credential", nil, "needs a Token"},
		{"stray argument", []string{"-token", "x", "extra"}, `unexpected argument "extra"`},
		{"bad max rows", []string{"-token", "x", "-max-result-rows", "0"}, "must be positive"},
		{"bad result format", []string{"-token", "x", "-results", "rows"}, `unknown result format "rows"`},
		{"zero cloudfetch threshold", []string{"-token", "x", "-cloudfetch-threshold", "0"}, "must not be 0"},
		{"unknown flag", []string{"-nope"}, "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, noEnv, strings.NewReader(""), &out, &errb)
			if code == 0 || !strings.Contains(errb.String(), tc.want) || out.Len() != 0 {
				t.Fatalf("code %d, stdout %q, stderr %q; want a failure mentioning %q", code, out.String(), errb.String(), tc.want)
			}
		})
	}
}
