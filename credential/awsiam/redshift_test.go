package awsiam

import (
	"bufio"
	"context"
	"crypto/tls"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/registry"
)

func TestRedshiftClusterCredentials(t *testing.T) {
	f := newFakeAWS(t)
	f.env(t)
	p := params("sqlalchemy-redshift", map[string]string{"host": "c1.abc.us-east-1.redshift.amazonaws.com", "user_name": "etl", "dbname": "dev",
		"auth_type": "aws-iam", "aws_region": "us-east-1", "cluster_identifier": "c1", "db_groups": "readers, writers", "auto_create": "true", "duration_seconds": "1800"})
	m, err := (&Redshift{}).Mint(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	form, pws := f.lastForm, f.passwords
	f.mu.Unlock()
	for k, want := range map[string]string{"Action": "GetClusterCredentials", "ClusterIdentifier": "c1", "DbUser": "etl", "DbName": "dev", "AutoCreate": "true", "DurationSeconds": "1800", "DbGroups.DbGroup.1": "readers", "DbGroups.DbGroup.2": "writers"} {
		if form.Get(k) != want {
			t.Errorf("GetClusterCredentials %s = %q, want %q", k, form.Get(k), want)
		}
	}
	if len(pws) != 1 || m.Fields["password"] != pws[0] || m.Fields["user_name"] != f.dbUser || len(m.Fields) != 2 {
		t.Errorf("minted fields %v are not the answer's DbUser and DbPassword", slicesKeys(m.Fields))
	}
	if d := time.Until(m.Expires); d <= 0 || d > f.dbLife {
		t.Errorf("Expires %v is not the answer's Expiration", m.Expires)
	}
	if m.ConnLifetime <= 0 || m.ConnLifetime > f.dbLife {
		t.Errorf("ConnLifetime %v", m.ConnLifetime)
	}
	f.check(t)
}

func TestRedshiftServerlessCredentialsWithARole(t *testing.T) {
	f := newFakeAWS(t)
	f.dbUser = "IAMR:db-connect"
	f.env(t)
	p := params("sqlalchemy-redshift", map[string]string{"host": "wg.123456789012.us-east-1.redshift-serverless.amazonaws.com", "dbname": "dev",
		"auth_type": "aws-iam", "aws_region": "us-east-1", "workgroup_name": "wg", "aws_role_arn": "arn:aws:iam::123456789012:role/db-connect"})
	m, err := (&Redshift{}).Mint(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	body, pws := f.lastJSON, f.passwords
	f.mu.Unlock()
	var in map[string]any
	if err := json.Unmarshal([]byte(body), &in); err != nil {
		t.Fatal(err)
	}
	if in["workgroupName"] != "wg" || in["dbName"] != "dev" || in["durationSeconds"] != float64(900) {
		t.Errorf("GetCredentials got %s", body)
	}
	if len(pws) != 1 || m.Fields["password"] != pws[0] || m.Fields["user_name"] != "IAMR:db-connect" {
		t.Errorf("minted fields are not the answer's")
	}
	// Signed with the role's credentials (the fake checks the signature
	// with those when a session token is present).
	if f.count("AssumeRole") != 1 || f.count("GetCredentials") != 1 {
		t.Errorf("calls %v", f.calls)
	}
	f.check(t)
}

// TestRedshiftCredentialsLogIntoPostgreSQL: the user and password minted
// by (a fake) GetClusterCredentials log into a real PostgreSQL server
// (Redshift speaks its wire protocol) that checks passwords with
// SCRAM-SHA-256, through the sqlalchemy-redshift type's connector, over
// TLS (required by aws-iam; a loopback TLS front end terminates it, since
// the private cluster runs without a certificate).
func TestRedshiftCredentialsLogIntoPostgreSQL(t *testing.T) {
	pg := testenv.StartPrivatePostgres(t)
	f := newFakeAWS(t)
	f.dbUser = "IAM:vap_rs_" + randHex(4)
	f.env(t)
	ca := newTestCA(t)
	front := tlsFront(t, ca.serverConfig(), "127.0.0.1:"+strconv.Itoa(pg.Port))

	p := params("sqlalchemy-redshift", map[string]string{"host": "127.0.0.1", "port": strconv.Itoa(front.port), "user_name": "etl", "dbname": "postgres",
		"auth_type": "aws-iam", "aws_region": "us-east-1", "cluster_identifier": "c1",
		"options.sslmode": "verify-full", "options.sslrootcert": ca.caFile})
	if err := registry.Lookup("sqlalchemy-redshift").Validate(p); err != nil {
		t.Fatal(err)
	}
	m, err := (&Redshift{}).Mint(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	admin := pg.Admin(t)
	// The role Redshift would have: the minted user, with the minted
	// password (stored as a SCRAM verifier: password_encryption's default).
	if _, err := admin.Exec(fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD %s", pgx.Identifier{m.Fields["user_name"]}.Sanitize(), quoteLiteral(m.Fields["password"]))); err != nil {
		t.Fatal(err)
	}
	var verifier string
	if err := admin.QueryRow("SELECT rolpassword FROM pg_authid WHERE rolname = $1", m.Fields["user_name"]).Scan(&verifier); err != nil || !strings.HasPrefix(verifier, "SCRAM-SHA-256$") {
		t.Fatalf("role password is not a SCRAM verifier (%v)", err)
	}

	c, err := registry.Lookup("sqlalchemy-redshift").Connector(context.Background(), over(p, m))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	var user string
	if err := db.QueryRow("SELECT session_user").Scan(&user); err != nil {
		t.Fatalf("login with the minted credentials: %v", err)
	}
	if user != f.dbUser {
		t.Errorf("session_user %q, want %q", user, f.dbUser)
	}
	if front.tlsConns() == 0 {
		t.Error("no TLS connection reached the front end")
	}

	// The stored user with another password is refused: the server checks.
	bad := over(p, m)
	bad = registry.NewParams(bad.Name(), bad.Type(), map[string]string{"host": "127.0.0.1", "port": strconv.Itoa(front.port), "user_name": f.dbUser, "password": "not-" + m.Fields["password"],
		"dbname": "postgres", "auth_type": "aws-iam", "cluster_identifier": "c1", "options.sslmode": "verify-full", "options.sslrootcert": ca.caFile})
	c2, err := registry.Lookup("sqlalchemy-redshift").Connector(context.Background(), bad)
	if err != nil {
		t.Fatal(err)
	}
	db2 := sql.OpenDB(c2)
	defer db2.Close()
	if err := db2.Ping(); err == nil || !strings.Contains(err.Error(), "28P01") {
		t.Errorf("a wrong password logged in or failed otherwise: %v", err)
	}
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// front is a TLS front end for a PostgreSQL server without TLS: it answers
// the client's SSLRequest with 'S', terminates TLS and relays the rest in
// the clear to the backend.
type front struct {
	port int
	mu   sync.Mutex
	n    int
}

func (f *front) tlsConns() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func tlsFront(t *testing.T, cfg *tls.Config, backend string) *front {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fr := &front{port: ln.Addr().(*net.TCPAddr).Port}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				var hdr [8]byte
				if _, err := io.ReadFull(c, hdr[:]); err != nil || binary.BigEndian.Uint32(hdr[4:]) != 80877103 {
					return // not an SSLRequest: refused
				}
				if _, err := c.Write([]byte{'S'}); err != nil {
					return
				}
				tc := tls.Server(c, cfg)
				if err := tc.Handshake(); err != nil {
					return
				}
				fr.mu.Lock()
				fr.n++
				fr.mu.Unlock()
				b, err := net.Dial("tcp", backend)
				if err != nil {
					return
				}
				defer b.Close()
				done := make(chan struct{})
				go func() { io.Copy(b, bufio.NewReader(tc)); b.(*net.TCPConn).CloseWrite(); close(done) }()
				io.Copy(tc, b)
				tc.Close()
				<-done
			}()
		}
	}()
	return fr
}
