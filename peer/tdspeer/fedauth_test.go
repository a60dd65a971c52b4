package tdspeer_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"
	"github.com/microsoft/go-mssqldb/msdsn"

	"github.com/vapsql/vap/peer/tdspeer"
)

// TestFedAuthSecurityToken: a LOGIN7 carrying an Entra ID access token in
// the FEDAUTH feature extension (go-mssqldb's NewSecurityTokenConnector)
// logs in when Config.FedAuth accepts the token, as the login FedAuth
// names; a token it refuses gets 18456; without FedAuth every token is
// refused; SQL logins still work beside it.
func TestFedAuthSecurityToken(t *testing.T) {
	const good = "eyJ0eXAiOiJKV1QifQ.good-token.sig"
	var mu sync.Mutex
	var seen []string
	p := startPeer(t, tdspeer.Config{FedAuth: func(tok string) (string, bool) {
		mu.Lock()
		seen = append(seen, tok)
		mu.Unlock()
		return "app@contoso.example", tok == good
	}})
	ctx := testContext(t)
	open := func(p *tdspeer.Peer, tok string) *sql.DB {
		cfg, err := msdsn.Parse(dsn(p, "ignored", "", "true"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.User, cfg.Password = "", ""
		c, err := mssql.NewSecurityTokenConnector(cfg, func(context.Context) (string, error) { return tok, nil })
		if err != nil {
			t.Fatal(err)
		}
		db := sql.OpenDB(c)
		t.Cleanup(func() { db.Close() })
		return db
	}
	var who string
	if err := open(p, good).QueryRowContext(ctx, "SELECT SUSER_NAME()").Scan(&who); err != nil {
		t.Fatalf("token login: %v", err)
	}
	if who != "app@contoso.example" {
		t.Errorf("SUSER_NAME() = %q", who)
	}
	mu.Lock()
	if len(seen) != 1 || seen[0] != good {
		t.Errorf("FedAuth saw %d tokens, want the one sent", len(seen))
	}
	mu.Unlock()

	err := open(p, "forged").PingContext(ctx)
	var me mssql.Error
	if !errors.As(err, &me) || me.Number != 18456 || !strings.Contains(me.Message, "<token-identified principal>") {
		t.Errorf("refused token: %v", err)
	}
	if err != nil && strings.Contains(err.Error(), "forged") {
		t.Errorf("error holds the token: %v", err)
	}
	if err := openDB(t, p).PingContext(ctx); err != nil {
		t.Errorf("SQL login beside FedAuth: %v", err)
	}

	plain := startPeer(t, tdspeer.Config{})
	if err := open(plain, good).PingContext(ctx); !errors.As(err, &me) || me.Number != 18456 {
		t.Errorf("token at a peer without FedAuth: %v", err)
	}
}
