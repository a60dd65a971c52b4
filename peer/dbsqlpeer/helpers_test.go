package dbsqlpeer_test

import (
	"context"
	"database/sql"
	"io"
	"testing"
	"time"

	dbsql "github.com/databricks/databricks-sql-go"
	dbsqllogger "github.com/databricks/databricks-sql-go/logger"

	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// testToken is the personal access token the test peers accept.
const testToken = "dapi-peer-test-token"

func init() {
	// The driver logs server error texts to stderr; tests read errors from
	// the returned values instead.
	dbsqllogger.SetLogOutput(io.Discard)
}

// startPeer starts a peer for one test and closes it at the end.
func startPeer(t *testing.T, cfg dbsqlpeer.Config) *dbsqlpeer.Peer {
	t.Helper()
	if cfg.Token == "" && cfg.ClientID == "" && cfg.SubjectToken == "" {
		cfg.Token = testToken
	}
	p, err := dbsqlpeer.Start(cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return p
}

// driverOptions are the databricks-sql-go options that reach p: localhost,
// its port and path, its transport (so the feature-flag request stays on
// loopback), no retries.
func driverOptions(p *dbsqlpeer.Peer, extra ...dbsql.ConnOption) []dbsql.ConnOption {
	opts := []dbsql.ConnOption{
		dbsql.WithServerHostname(p.Host()),
		dbsql.WithPort(p.Port()),
		dbsql.WithHTTPPath(p.HTTPPath()),
		dbsql.WithTransport(p.Transport()),
		dbsql.WithRetries(-1, 0, 0),
	}
	return append(opts, extra...)
}

// openDB opens a *sql.DB on p through databricks-sql-go with the PAT.
func openDB(t *testing.T, p *dbsqlpeer.Peer, extra ...dbsql.ConnOption) *sql.DB {
	t.Helper()
	opts := driverOptions(p, append([]dbsql.ConnOption{dbsql.WithAccessToken(testToken)}, extra...)...)
	c, err := dbsql.NewConnector(opts...)
	if err != nil {
		t.Fatalf("NewConnector: %v", err)
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
