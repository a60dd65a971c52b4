package dbsqlpeer_test

import (
	"database/sql"
	"strconv"
	"testing"

	"github.com/vapsql/vap/driver"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/dbsqlpeer"
	_ "github.com/vapsql/vap/registry/databricks" // the databricks type
)

// TestThroughVap proves a stored databricks connection reaches the peer
// through sql.OpenDB(driver.NewConnector(name)), with a PAT and with OAuth
// M2M (client credentials traded at the peer's token endpoint), and that
// the peer's types come back through vap unchanged.
func TestThroughVap(t *testing.T) {
	const clientID, clientSecret = "vap-client", "vap-client-secret"
	p := startPeer(t, dbsqlpeer.Config{Token: testToken, ClientID: clientID, ClientSecret: clientSecret})
	st := testenv.Store(t)
	base := map[string]string{
		"server_hostname": p.Host(),
		"port":            strconv.Itoa(p.Port()),
		"http_path":       p.HTTPPath(),
	}
	with := func(extra map[string]string) map[string]string {
		m := make(map[string]string, len(base)+len(extra))
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	testenv.Put(t, st, "peer-pat", "databricks", with(map[string]string{"access_token": testToken}))
	testenv.Put(t, st, "peer-m2m", "databricks", with(map[string]string{
		"auth_type": "oauth-m2m", "client_id": clientID, "client_secret": clientSecret, "token_endpoint": p.TokenURL(),
	}))
	testenv.Put(t, st, "peer-wrong", "databricks", with(map[string]string{"access_token": "dapi-wrong"}))

	open := func(name string) *sql.DB {
		c, err := driver.NewConnector(name, driver.WithStore(st))
		if err != nil {
			t.Fatalf("NewConnector(%s): %v", name, err)
		}
		db := sql.OpenDB(c)
		t.Cleanup(func() { db.Close() })
		return db
	}
	ctx := testContext(t)
	for _, name := range []string{"peer-pat", "peer-m2m"} {
		t.Run(name, func(t *testing.T) {
			issued := p.Stats().TokensIssued
			db := open(name)
			var n int32
			var d string
			if err := db.QueryRowContext(ctx, "SELECT CAST(? AS INT), CAST(1.5 AS DECIMAL(4,2))", 41).Scan(&n, &d); err != nil {
				t.Fatalf("query: %v", err)
			}
			if n != 41 || d != "1.50" {
				t.Errorf("got %d %q, want 41 \"1.50\"", n, d)
			}
			if got := p.Stats().TokensIssued - issued; (name == "peer-m2m") != (got > 0) {
				t.Errorf("%s: %d tokens issued", name, got)
			}
		})
	}
	t.Run("wrong token", func(t *testing.T) {
		before := p.Stats().Unauthorized
		if err := open("peer-wrong").PingContext(ctx); err == nil {
			t.Fatal("ping succeeded with a wrong token")
		}
		if p.Stats().Unauthorized == before {
			t.Error("peer recorded no 401")
		}
	})
	if got := p.Stats().FeatureFlagFetches; got != 0 {
		t.Errorf("%d feature-flag requests reached the network (vap answers them in process)", got)
	}
}
