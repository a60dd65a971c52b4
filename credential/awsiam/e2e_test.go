package awsiam

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
	_ "github.com/vapsql/vap/store/sqlite"
)

// These tests go through vap's driver: a connection stored with auth_type
// aws-iam (no password), opened with sql.Open("vap", name); the credential
// is minted by the Auth this package registered, through vap's credential
// cache, at each new physical connection.

var e2eSeq struct {
	sync.Mutex
	n int
}

// e2eName returns a connection name unique in the process; region is a
// region name unique to the test, so that the package's AWS configuration
// cache (one per set of aws_ fields) never hands a test another test's
// environment.
func e2eName(t *testing.T) (name, region string) {
	e2eSeq.Lock()
	defer e2eSeq.Unlock()
	e2eSeq.n++
	return "e2e-" + strconv.Itoa(e2eSeq.n), "us-e2e-" + strconv.Itoa(e2eSeq.n)
}

func storeConn(t *testing.T, name, typ string, fields map[string]string) {
	t.Helper()
	c := &store.Connection{Name: name, Type: typ}
	for k, v := range fields {
		c.Set(k, v, false)
	}
	if err := stdlib.DefaultStore().Create(context.Background(), c); err != nil {
		t.Fatalf("store %s: %v", name, err)
	}
	t.Cleanup(func() { stdlib.DefaultStore().Delete(context.Background(), name) })
}

func openVap(t *testing.T, name string) *sql.DB {
	t.Helper()
	db, err := sql.Open("vap", name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// holdConns opens n physical connections at once and closes them.
func holdConns(t *testing.T, db *sql.DB, n int) {
	t.Helper()
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
			if err := c.PingContext(ctx); err != nil {
				errs <- err
			}
			conns <- c
		}()
	}
	wg.Wait()
	close(errs)
	close(conns)
	for c := range conns {
		c.Close()
	}
	for err := range errs {
		t.Fatal(err)
	}
}

// TestVapPostgresIAM: sql.Open("vap", name) on a postgresql connection
// with auth_type aws-iam: the server receives a valid RDS token for its
// host, port and user, inside TLS, on every physical connection.
func TestVapPostgresIAM(t *testing.T) {
	f := newFakeAWS(t)
	f.env(t)
	ca := newTestCA(t)
	srv := startFake(t, fakePostgres(ca.serverConfig()))
	name, region := e2eName(t)
	storeConn(t, name, "postgresql", map[string]string{"host": "127.0.0.1", "port": strconv.Itoa(srv.port()), "user_name": "iam_app",
		"auth_type": "aws-iam", "aws_region": region, "options.sslmode": "verify-full", "options.sslrootcert": ca.caFile})
	db := openVap(t, name)
	holdConns(t, db, 4)
	got := srv.seen()
	if len(got) != 4 {
		t.Fatalf("server saw %d logins, want 4", len(got))
	}
	for _, c := range got {
		if !c.tls || c.user != "iam_app" {
			t.Fatalf("login without TLS or as %q", c.user)
		}
		verifyToken(t, c.password, "127.0.0.1:"+strconv.Itoa(srv.port()), "iam_app", region, f.base)
	}
}

// TestVapMySQLIAM: the same for mysql, the token sent with
// mysql_clear_password inside TLS.
func TestVapMySQLIAM(t *testing.T) {
	f := newFakeAWS(t)
	f.env(t)
	ca := newTestCA(t)
	srv := startFake(t, fakeMySQL(ca.serverConfig()))
	name, region := e2eName(t)
	storeConn(t, name, "mysql", map[string]string{"host": "127.0.0.1", "port": strconv.Itoa(srv.port()), "user_name": "iam_app",
		"auth_type": "aws-iam", "aws_region": region, "options.tls": "skip-verify"})
	db := openVap(t, name)
	holdConns(t, db, 2)
	got := srv.seen()
	if len(got) != 2 {
		t.Fatalf("server saw %d logins, want 2", len(got))
	}
	for _, c := range got {
		if !c.tls || c.user != "iam_app" {
			t.Fatalf("login without TLS or as %q", c.user)
		}
		verifyToken(t, c.password, "127.0.0.1:"+strconv.Itoa(srv.port()), "iam_app", region, f.base)
	}
}

// TestVapStoreRefusesIAMWithoutTLS: the store refuses the connection,
// naming the option.
func TestVapStoreRefusesIAMWithoutTLS(t *testing.T) {
	name, _ := e2eName(t)
	c := &store.Connection{Name: name, Type: "postgresql"}
	for k, v := range map[string]string{"host": "db.example", "user_name": "app", "auth_type": "aws-iam", "aws_region": "us-east-1"} {
		c.Set(k, v, false)
	}
	err := stdlib.DefaultStore().Create(context.Background(), c)
	if err == nil {
		stdlib.DefaultStore().Delete(context.Background(), name)
		t.Fatal("stored an aws-iam connection whose sslmode may skip TLS")
	}
	if !contains(err.Error(), "options.sslmode") {
		t.Errorf("error does not name options.sslmode: %v", err)
	}
	// The Validator runs at store time too: a malformed role ARN.
	c.Set("options.sslmode", "require", false)
	c.Set("aws_role_arn", "arn:aws:iam::1:role/x", false)
	if err := stdlib.DefaultStore().Create(context.Background(), c); err == nil || !contains(err.Error(), "aws_role_arn") {
		stdlib.DefaultStore().Delete(context.Background(), name)
		t.Errorf("malformed role ARN: %v", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestVapRedshiftConcurrentAndExpiry: 32 concurrent connects through
// sql.Open("vap", …) make one GetClusterCredentials request and log in
// with its user and password; once the credentials near their
// Expiration (the credential cache's clock moved past it), the next
// connection gets new ones, and the connections made with the old ones
// are not reused.
func TestVapRedshiftConcurrentAndExpiry(t *testing.T) {
	f := newFakeAWS(t)
	f.env(t)
	ca := newTestCA(t)
	srv := startFake(t, fakePostgres(ca.serverConfig()))
	name, region := e2eName(t)
	storeConn(t, name, "sqlalchemy-redshift", map[string]string{"host": "127.0.0.1", "port": strconv.Itoa(srv.port()), "user_name": "etl", "dbname": "dev",
		"auth_type": "aws-iam", "aws_region": region, "cluster_identifier": "c1"})

	// 32 concurrent connects, through sql.Open and the default cache.
	db := openVap(t, name)
	holdConns(t, db, 32)
	got := srv.seen()
	if n := f.count("GetClusterCredentials"); n != 1 {
		t.Errorf("32 concurrent connects made %d GetClusterCredentials requests, want 1", n)
	}
	f.mu.Lock()
	pws := append([]string(nil), f.passwords...)
	f.mu.Unlock()
	if len(got) != 32 {
		t.Fatalf("server saw %d logins, want 32", len(got))
	}
	for _, c := range got {
		if !c.tls || c.user != f.dbUser || c.password != pws[0] {
			t.Fatalf("a login was not the minted user and password over TLS")
		}
	}

	// Expiry, on a clock of our own (the same stored connection, a
	// connector with its own credential cache).
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c, err := stdlib.NewConnector(name, stdlib.WithCredentialCache(credential.NewCache(credential.WithClock(clock))))
	if err != nil {
		t.Fatal(err)
	}
	db2 := sql.OpenDB(c)
	defer db2.Close()
	ctx := context.Background()
	if err := db2.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count("GetClusterCredentials"); n != 2 {
		t.Fatalf("a new cache made %d requests in all, want 2", n)
	}
	if err := db2.PingContext(ctx); err != nil { // the idle connection, reused
		t.Fatal(err)
	}
	if n := len(srv.seen()); n != 33 {
		t.Fatalf("server saw %d logins, want 33 (the idle connection reused)", n)
	}
	mu.Lock()
	now = now.Add(f.dbLife) // at the credentials' Expiration
	mu.Unlock()
	if err := db2.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count("GetClusterCredentials"); n != 3 {
		t.Errorf("after expiry, %d requests in all, want 3", n)
	}
	got = srv.seen()
	f.mu.Lock()
	last := f.passwords[len(f.passwords)-1]
	f.mu.Unlock()
	if len(got) != 34 || got[33].password != last || last == pws[0] {
		t.Errorf("after expiry the server saw %d logins; want 34, the last with the new password", len(got))
	}
	f.check(t)
}
