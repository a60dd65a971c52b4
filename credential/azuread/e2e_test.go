package azuread_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
	_ "github.com/vapsql/vap/store/sqlite"
)

// TestVapAzureAD: a connection stored with auth_type azure-ad (the client
// secret sealed by the store), opened with sql.Open("vap", name), logs
// into the SQL Server peer with the token the fake authority issued; 32
// concurrent connects make one token request. A connection stored with a
// user_name is refused.
func TestVapAzureAD(t *testing.T) {
	e := newEnv(t)
	secret := "vap-sp-secret-" + randHex(8)
	e.entra.secrets[clientID] = secret
	name := "azure-e2e"
	c := &store.Connection{Name: name, Type: "sqlserver"}
	for k, v := range e.fields(map[string]string{"azure_credential": "service-principal", "azure_tenant_id": e.entra.tenant, "azure_client_id": clientID, "azure_client_secret": secret}) {
		c.Set(k, v, false)
	}
	ctx := context.Background()
	if err := stdlib.DefaultStore().Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	defer stdlib.DefaultStore().Delete(ctx, name)
	got, err := stdlib.DefaultStore().Get(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Fields["azure_client_secret"].Secret {
		t.Error("azure_client_secret is not stored as a secret")
	}

	db, err := sql.Open("vap", name)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const n = 32
	db.SetMaxOpenConns(n)
	conns := make([]*sql.Conn, 0, n)
	type res struct {
		c   *sql.Conn
		who string
		err error
	}
	ch := make(chan res, n)
	for range n {
		go func() {
			c, err := db.Conn(ctx)
			if err != nil {
				ch <- res{err: err}
				return
			}
			var who string
			err = c.QueryRowContext(ctx, "SELECT SUSER_NAME()").Scan(&who)
			ch <- res{c, who, err}
		}()
	}
	for range n {
		r := <-ch
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.who != clientID+"@"+e.entra.tenant {
			t.Errorf("SUSER_NAME() = %q", r.who)
		}
		conns = append(conns, r.c)
	}
	for _, c := range conns {
		c.Close()
	}
	if len(e.seen()) != n || e.entra.tokenRequests() != 1 {
		t.Errorf("%d logins at the peer and %d token requests; want %d and 1", len(e.seen()), e.entra.tokenRequests(), n)
	}

	bad := &store.Connection{Name: name + "-user", Type: "mssql"}
	for k, v := range map[string]string{"host": "h", "auth_type": "azure-ad", "user_name": "sa"} {
		bad.Set(k, v, false)
	}
	if err := stdlib.DefaultStore().Create(ctx, bad); err == nil || !strings.Contains(err.Error(), "user_name") {
		stdlib.DefaultStore().Delete(ctx, bad.Name)
		t.Errorf("azure-ad with a user_name: %v", err)
	}
	e.entra.check(t)
}

// TestVapAzureADRefusedIsTokenMinting: when the authority refuses the
// service principal, go-mssqldb's login fails asking for the token, and the
// vap driver names the step as token minting (what `vap conn test`
// prints), not the network or the server; the error holds no secret.
func TestVapAzureADRefusedIsTokenMinting(t *testing.T) {
	e := newEnv(t)
	e.entra.secrets[clientID] = "the-right-one-" + randHex(8)
	wrong := "wrong-secret-" + randHex(8)
	name := "azure-e2e-refused"
	c := &store.Connection{Name: name, Type: "sqlserver"}
	for k, v := range e.fields(map[string]string{"azure_credential": "service-principal", "azure_tenant_id": e.entra.tenant, "azure_client_id": clientID, "azure_client_secret": wrong}) {
		c.Set(k, v, false)
	}
	ctx := context.Background()
	if err := stdlib.DefaultStore().Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	defer stdlib.DefaultStore().Delete(ctx, name)
	db, err := sql.Open("vap", name)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.PingContext(ctx)
	var ce *stdlib.ConnectError
	if !errors.As(err, &ce) {
		t.Fatalf("ping: %v, want a *stdlib.ConnectError", err)
	}
	if ce.Step() != stdlib.StepMint {
		t.Errorf("step %q, want %q (%v)", ce.Step(), stdlib.StepMint, err)
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), e.entra.secrets[clientID]) {
		t.Errorf("error leaks a secret: %v", err)
	}
	if n := len(e.seen()); n != 0 {
		t.Errorf("the peer saw %d logins", n)
	}
}
