package azuread_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/pem"
	"errors"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/credential/azuread"
	"github.com/vapsql/vap/peer/tdspeer"
	"github.com/vapsql/vap/registry"
)

const clientID = "11111111-2222-4333-8444-555555555555"

// env is a fake Entra ID authority and a local SQL Server that accepts
// exactly the tokens the authority issued.
type env struct {
	entra *fakeEntra
	peer  *tdspeer.Peer

	mu     sync.Mutex
	tokens []string // the tokens the peer received, in order
}

func newEnv(t *testing.T) *env {
	e := &env{entra: newFakeEntra(t)}
	azuread.SetTransport(e.entra.srv.Client())
	t.Cleanup(func() { azuread.SetTransport(nil) })
	p, err := tdspeer.Start(tdspeer.Config{User: "sa_unused", Password: "unused-" + randHex(4), FedAuth: func(tok string) (string, bool) {
		e.mu.Lock()
		e.tokens = append(e.tokens, tok)
		e.mu.Unlock()
		return e.entra.principal(tok)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	e.peer = p
	// The same environment for every test: nothing of the machine's.
	for _, k := range []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE",
		"AZURE_AUTHORITY_HOST", "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT", "AZURE_USERNAME", "AZURE_PASSWORD",
		"AZURE_TOKEN_CREDENTIALS", "AZURE_POD_IDENTITY_AUTHORITY_HOST"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	return e
}

func (e *env) seen() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.tokens...)
}

// fields are a connection to the peer with auth_type azure-ad through the
// fake authority, plus extra.
func (e *env) fields(extra map[string]string) map[string]string {
	f := map[string]string{
		"host": e.peer.Host(), "port": strconv.Itoa(e.peer.Port()), "dbname": e.peer.Database(),
		"options.certificate": e.peer.CAFile(),
		"auth_type":           "azure-ad", "azure_authority_host": e.entra.srv.URL + "/", "azure_disable_instance_discovery": "true",
	}
	maps.Copy(f, extra)
	return f
}

// open validates the connection as the store would and opens a pool on
// the Auth's connector.
func open(t *testing.T, a *azuread.Auth, fields map[string]string) *sql.DB {
	t.Helper()
	p := registry.NewParams("c", "mssql", fields)
	if err := registry.Lookup("mssql").Validate(p); err != nil {
		t.Fatal(err)
	}
	if err := a.Validate(p); err != nil {
		t.Fatal(err)
	}
	c, err := a.Connector(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { db.Close() })
	return db
}

func whoami(t *testing.T, db *sql.DB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var who string
	if err := db.QueryRowContext(ctx, "SELECT SUSER_NAME()").Scan(&who); err != nil {
		t.Fatalf("query as an Entra ID principal: %v", err)
	}
	return who
}

func TestRegistered(t *testing.T) {
	for _, typ := range []string{"mssql", "mssql+pyodbc", "mssql+pymysql", "mssql+pymssql"} {
		a, err := credential.LookupAuth("azure-ad", typ)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if _, ok := a.(credential.ConnectorAuth); !ok {
			t.Errorf("%s: the azure-ad Auth is not a ConnectorAuth", typ)
		}
		if !contains(registry.Lookup(typ).CredentialAuths, "azure-ad") {
			t.Errorf("%s does not list azure-ad in CredentialAuths", typ)
		}
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestServicePrincipalSecret: the token the fake authority issued to the
// service principal reaches the SQL Server peer in LOGIN7's FEDAUTH
// extension, and 32 concurrent connects make one token request.
func TestServicePrincipalSecret(t *testing.T) {
	e := newEnv(t)
	secret := "sp-secret-" + randHex(8)
	e.entra.secrets[clientID] = secret
	db := open(t, &azuread.Auth{}, e.fields(map[string]string{"azure_credential": "service-principal", "azure_tenant_id": e.entra.tenant, "azure_client_id": clientID, "azure_client_secret": secret}))

	const n = 32
	db.SetMaxOpenConns(n)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	conns := make(chan *sql.Conn, n)
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := db.Conn(ctx)
			if err != nil {
				errs <- err
				return
			}
			var who string
			if err := c.QueryRowContext(ctx, "SELECT SUSER_NAME()").Scan(&who); err != nil || who != clientID+"@"+e.entra.tenant {
				errs <- errors.Join(err, errors.New("SUSER_NAME() = "+who))
			}
			conns <- c // held until all are open: n physical connections
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	close(conns)
	held := 0
	for c := range conns {
		held++
		c.Close()
	}
	seen := e.seen()
	if held != n || len(seen) != n {
		t.Fatalf("%d connections held, %d logins at the peer; want %d", held, len(seen), n)
	}
	if got := e.entra.tokenRequests(); got != 1 {
		t.Errorf("%d concurrent connects made %d token requests, want 1", n, got)
	}
	for _, tok := range seen {
		if tok != seen[0] {
			t.Fatal("logins carried different tokens")
		}
	}
	e.entra.check(t)
}

// TestTokenRefreshedBeforeExpiry: a token is used until its refresh time
// (halfway through a 2-minute life), then a new one is fetched and the
// next physical connection logs in with it. The token source's clock is
// moved; the fake authority's tokens are short-lived, so that the SDK's
// own cache (5 minutes before expiry) does not hold them either.
func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	e := newEnv(t)
	e.entra.life = 120
	secret := "sp-secret-" + randHex(8)
	e.entra.secrets[clientID] = secret
	a := &azuread.Auth{}
	db := open(t, a, e.fields(map[string]string{"azure_credential": "service-principal", "azure_tenant_id": e.entra.tenant, "azure_client_id": clientID, "azure_client_secret": secret}))
	db.SetMaxIdleConns(0) // every query a new physical connection
	whoami(t, db)
	whoami(t, db)
	if got := e.entra.tokenRequests(); got != 1 {
		t.Fatalf("two connections within the token's life made %d token requests, want 1", got)
	}
	var mu sync.Mutex
	now := time.Now().Add(61 * time.Second) // past the refresh time (expiry − 60 s)
	azuread.SetClock(a, func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	whoami(t, db)
	if got := e.entra.tokenRequests(); got != 2 {
		t.Fatalf("after the refresh time, %d token requests, want 2", got)
	}
	seen := e.seen()
	if len(seen) != 3 || seen[0] != seen[1] || seen[2] == seen[1] {
		t.Fatalf("the peer saw %d logins; want 3, the last with a new token", len(seen))
	}
	e.entra.check(t)
}

func TestServicePrincipalCertificate(t *testing.T) {
	e := newEnv(t)
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "vap-sp"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	e.entra.certs[clientID] = cert
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	file := filepath.Join(t.TempDir(), "sp.pem")
	pemData := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})...)
	if err := os.WriteFile(file, pemData, 0o600); err != nil {
		t.Fatal(err)
	}
	db := open(t, &azuread.Auth{}, e.fields(map[string]string{"azure_credential": "service-principal", "azure_tenant_id": e.entra.tenant, "azure_client_id": clientID, "azure_client_certificate": file}))
	if who := whoami(t, db); who != clientID+"@"+e.entra.tenant {
		t.Errorf("SUSER_NAME() = %q", who)
	}
	e.entra.check(t)
}

func TestManagedIdentity(t *testing.T) {
	e := newEnv(t)
	t.Setenv("IDENTITY_ENDPOINT", e.entra.srv.URL+"/msi/token")
	t.Setenv("IDENTITY_HEADER", e.entra.msiHeader)
	db := open(t, &azuread.Auth{}, e.fields(map[string]string{"azure_credential": "managed-identity", "azure_client_id": clientID}))
	if who := whoami(t, db); who != clientID+"@"+e.entra.tenant {
		t.Errorf("SUSER_NAME() = %q", who)
	}
	e.entra.check(t)
}

func TestWorkloadIdentity(t *testing.T) {
	e := newEnv(t)
	federated := "eyJhbGciOiJSUzI1NiJ9.federated-" + randHex(8) + ".sig"
	e.entra.federated[clientID] = federated
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(federated), 0o600); err != nil {
		t.Fatal(err)
	}
	db := open(t, &azuread.Auth{}, e.fields(map[string]string{"azure_credential": "workload-identity", "azure_tenant_id": e.entra.tenant, "azure_client_id": clientID, "azure_token_file": file}))
	if who := whoami(t, db); who != clientID+"@"+e.entra.tenant {
		t.Errorf("SUSER_NAME() = %q", who)
	}
	e.entra.check(t)
}

// TestDefaultChain: without azure_credential, DefaultAzureCredential's
// first source that has credentials (here the environment's service
// principal) is used.
func TestDefaultChain(t *testing.T) {
	e := newEnv(t)
	secret := "env-secret-" + randHex(8)
	e.entra.secrets[clientID] = secret
	t.Setenv("AZURE_TENANT_ID", e.entra.tenant)
	t.Setenv("AZURE_CLIENT_ID", clientID)
	t.Setenv("AZURE_CLIENT_SECRET", secret)
	db := open(t, &azuread.Auth{}, e.fields(nil))
	if who := whoami(t, db); who != clientID+"@"+e.entra.tenant {
		t.Errorf("SUSER_NAME() = %q", who)
	}
	e.entra.check(t)
}

// TestRefusedSecretNamesNoSecret: a secret the authority refuses fails
// the connection, naming the credential kind, with no secret in the error.
func TestRefusedSecretNamesNoSecret(t *testing.T) {
	e := newEnv(t)
	e.entra.secrets[clientID] = "the-right-one"
	wrong := "wrong-secret-" + randHex(8)
	db := open(t, &azuread.Auth{}, e.fields(map[string]string{"azure_credential": "service-principal", "azure_tenant_id": e.entra.tenant, "azure_client_id": clientID, "azure_client_secret": wrong}))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := db.PingContext(ctx)
	if err == nil {
		t.Fatal("logged in with a refused secret")
	}
	if !strings.Contains(err.Error(), "service-principal") {
		t.Errorf("error does not name the credential: %v", err)
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), "the-right-one") {
		t.Errorf("error leaks a secret: %v", err)
	}
	if n := len(e.seen()); n != 0 {
		t.Errorf("the peer saw %d logins", n)
	}
}

func TestValidate(t *testing.T) {
	ok := map[string]string{"host": "h", "auth_type": "azure-ad", "azure_credential": "service-principal", "azure_tenant_id": "contoso.onmicrosoft.com", "azure_client_id": clientID, "azure_client_secret": "s3cr3t-value"}
	with := func(kv ...string) map[string]string {
		m := maps.Clone(ok)
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "<absent>" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}
	for _, c := range []struct {
		fields map[string]string
		field  string
	}{
		{ok, ""},
		{with("azure_client_secret", "<absent>", "azure_client_certificate", "/etc/vap/sp.pem", "azure_client_certificate_password", "pw-1234"), ""},
		{map[string]string{"host": "h", "auth_type": "azure-ad"}, ""}, // default chain
		{map[string]string{"host": "h", "auth_type": "azure-ad", "azure_credential": "managed-identity"}, ""},
		{map[string]string{"host": "h", "auth_type": "azure-ad", "azure_credential": "workload-identity"}, ""},
		{with("azure_authority_host", "https://login.microsoftonline.us/"), ""},
		{with("user_name", "sa"), "user_name"},
		{with("password", "pw-5678"), "password"},
		{with("options.encrypt", "disable"), "options.encrypt"},
		{with("azure_credential", "password"), "azure_credential"},
		{with("azure_tenant_id", "<absent>"), "azure_tenant_id"},
		{with("azure_client_secret", "<absent>"), "azure_client_secret"},
		{with("azure_client_certificate", "/x.pem"), "azure_client_secret"},
		{with("azure_client_certificate_password", "pw-1234"), "azure_client_certificate_password"},
		{with("azure_credential", "managed-identity"), "azure_tenant_id"},
		{with("azure_client_id", "not-a-guid"), "azure_client_id"},
		{with("azure_tenant_id", "bad tenant!"), "azure_tenant_id"},
		{with("azure_authority_host", "http://login.example/"), "azure_authority_host"},
		{with("azure_disable_instance_discovery", "perhaps"), "azure_disable_instance_discovery"},
		{with("auth_type", "aws-iam"), "auth_type"},
		{map[string]string{"host": "h", "azure_client_id": clientID, "user_name": "sa"}, "azure_client_id"},
		{map[string]string{"host": "h"}, "user_name"},
	} {
		p := registry.NewParams("c", "mssql", c.fields)
		err := registry.Lookup("mssql").Validate(p)
		if err == nil {
			err = (&azuread.Auth{}).Validate(p)
		}
		var fe *registry.FieldError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%v: %v", c.fields, err)
		case c.field != "" && (!errors.As(err, &fe) || fe.Field != c.field):
			t.Errorf("%v: got %v, want an error on %s", c.fields, err, c.field)
		}
		if err != nil {
			for k, v := range c.fields {
				if len(v) > 4 && k != "auth_type" && k != "azure_credential" && !strings.HasPrefix(k, "options.") && strings.Contains(err.Error(), v) {
					t.Errorf("error quotes the value of %s: %v", k, err)
				}
			}
		}
	}
	// The type's own connector refuses azure-ad: only this package's makes
	// its logins.
	if _, err := registry.Lookup("mssql").Connector(context.Background(), registry.NewParams("c", "mssql", ok)); err == nil || !strings.Contains(err.Error(), "credential/azuread") {
		t.Errorf("mssql connector with azure-ad: %v", err)
	}
}
