package orapeer

import (
	"context"
	"database/sql"
	"net/url"
	"testing"
	"time"

	goora "github.com/sijms/go-ora/v2"
)

const (
	testUser     = "scott"
	testPassword = "tiger-Pw1"
)

// startPeer starts a peer for one test.
func startPeer(t testing.TB) *Peer {
	t.Helper()
	p, err := Start(Config{User: testUser, Password: testPassword, Service: "FREEPDB1", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return p
}

// goOraURL is a go-ora URL for the peer with the given password.
func goOraURL(p *Peer, user, password string) string {
	q := url.Values{}
	q.Set("TIMEOUT", "30")
	return (&url.URL{Scheme: "oracle", User: url.UserPassword(user, password), Host: p.Address(),
		Path: "/" + p.Service(), RawQuery: q.Encode()}).String()
}

// openGoOra opens the peer through the real go-ora driver.
func openGoOra(t testing.TB, p *Peer) *sql.DB {
	t.Helper()
	db := sql.OpenDB(goora.NewConnector(goOraURL(p, testUser, testPassword)))
	t.Cleanup(func() { db.Close() })
	return db
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}
