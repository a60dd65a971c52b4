package tdspeer_test

import (
	"context"
	"database/sql"
	"net/url"
	"strconv"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/peer/tdspeer"
)

const (
	testUser     = "vap_user"
	testPassword = "s3cret-Pa55!"
)

func startPeer(t testing.TB, cfg tdspeer.Config) *tdspeer.Peer {
	t.Helper()
	if cfg.User == "" {
		cfg.User, cfg.Password = testUser, testPassword
	}
	p, err := tdspeer.Start(cfg)
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

// dsn is a go-mssqldb URL for p with the given encrypt mode, verifying
// the peer's certificate against its CA.
func dsn(p *tdspeer.Peer, user, password, encrypt string) string {
	return dsnFor(p.Host(), p.Port(), p.Database(), p.CAFile(), user, password, encrypt)
}

func dsnFor(host string, port int, database, caFile, user, password, encrypt string) string {
	q := url.Values{}
	q.Set("database", database)
	q.Set("encrypt", encrypt)
	q.Set("certificate", caFile)
	q.Set("connection timeout", "30")
	u := url.URL{Scheme: "sqlserver", User: url.UserPassword(user, password),
		Host: host + ":" + strconv.Itoa(port), RawQuery: q.Encode()}
	return u.String()
}

// openDB opens p through go-mssqldb with the default encrypt=true.
func openDB(t testing.TB, p *tdspeer.Peer) *sql.DB {
	t.Helper()
	return openWith(t, dsn(p, testUser, testPassword, "true"))
}

func openWith(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	c, err := mssql.NewConnector(dsn)
	if err != nil {
		t.Fatalf("NewConnector: %v", err)
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { db.Close() })
	return db
}

func testContext(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitABit is one step of a polling loop.
func waitABit() { time.Sleep(10 * time.Millisecond) }
