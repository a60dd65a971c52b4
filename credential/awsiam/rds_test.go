package awsiam

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/registry"
	_ "github.com/vapsql/vap/registry/mysql"
	_ "github.com/vapsql/vap/registry/postgres"
)

func params(typ string, fields map[string]string) registry.Params {
	return registry.NewParams("c", typ, fields)
}

// over lays minted fields over p's, as vap's connector does.
func over(p registry.Params, m credential.Minted) registry.Params {
	f := map[string]string{}
	for _, k := range p.Keys() {
		f[k] = p.Get(k)
	}
	maps.Copy(f, m.Fields)
	return registry.NewParams(p.Name(), p.Type(), f)
}

// verifyToken checks that token is an RDS IAM token for endpoint and user,
// presigned (SigV4, service rds-db) with creds, and returns its query.
func verifyToken(t *testing.T, token, endpoint, user, region string, creds aws.Credentials) url.Values {
	t.Helper()
	// aws-sdk-go-v2 writes HOST:PORT?Action=…, the AWS CLI HOST:PORT/?Action=…;
	// RDS accepts both.
	if strings.Contains(token, "://") || !strings.HasPrefix(token, endpoint+"?") && !strings.HasPrefix(token, endpoint+"/?") {
		t.Fatalf("token does not start with %s?: %.40s", endpoint, token)
	}
	u, err := url.Parse("https://" + token)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for k, want := range map[string]string{"Action": "connect", "DBUser": user, "X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Expires": "900"} {
		if q.Get(k) != want {
			t.Errorf("token %s = %q, want %q", k, q.Get(k), want)
		}
	}
	if !strings.HasPrefix(q.Get("X-Amz-Credential"), creds.AccessKeyID+"/") || !strings.HasSuffix(q.Get("X-Amz-Credential"), "/"+region+"/rds-db/aws4_request") {
		t.Errorf("token X-Amz-Credential = %q", q.Get("X-Amz-Credential"))
	}
	if creds.SessionToken != "" && q.Get("X-Amz-Security-Token") != creds.SessionToken {
		t.Errorf("token carries another session token")
	}
	// Re-sign the same request at the same time: the signature must match.
	when, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "https://"+endpoint+"/?"+url.Values{"Action": {"connect"}, "DBUser": {user}, "X-Amz-Expires": {"900"}}.Encode(), nil)
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "rds-db", region, when)
	if err != nil {
		t.Fatal(err)
	}
	su, _ := url.Parse(signed)
	if got, want := q.Get("X-Amz-Signature"), su.Query().Get("X-Amz-Signature"); got == "" || got != want {
		t.Errorf("token signature does not verify with the expected credentials")
	}
	return q
}

func TestRDSTokenFromTheDefaultChain(t *testing.T) {
	f := newFakeAWS(t)
	f.env(t)
	a := &RDS{}
	p := params("postgresql", map[string]string{"host": "db.example.internal", "port": "5433", "user_name": "app", "auth_type": "aws-iam", "aws_region": "eu-west-1", "options.sslmode": "verify-full"})
	before := time.Now()
	m, err := a.Mint(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	verifyToken(t, m.Fields["password"], "db.example.internal:5433", "app", "eu-west-1", f.base)
	if len(m.Fields) != 1 {
		t.Errorf("minted fields %v, want password only", slicesKeys(m.Fields))
	}
	if m.Expires.Before(before.Add(TokenLifetime)) || m.Expires.After(time.Now().Add(TokenLifetime)) {
		t.Errorf("Expires %v is not the signing time + 15 min", m.Expires)
	}
	if m.ConnLifetime != 0 {
		t.Errorf("ConnLifetime %v, want 0 (RDS checks the token at login only)", m.ConnLifetime)
	}
	// mysql's default port when the connection has none.
	m, err = a.Mint(context.Background(), params("mysql", map[string]string{"host": "db.example.internal", "user_name": "app", "auth_type": "aws-iam", "aws_region": "eu-west-1", "options.tls": "true"}))
	if err != nil {
		t.Fatal(err)
	}
	verifyToken(t, m.Fields["password"], "db.example.internal:3306", "app", "eu-west-1", f.base)
	if n := len(f.calls); n != 0 {
		t.Errorf("a token from static credentials called AWS %d times", n)
	}
}

func slicesKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestRDSTokenWithAnAssumedRole(t *testing.T) {
	f := newFakeAWS(t)
	f.roleLife = 5 * time.Minute // shorter than a token: Expires follows the role's credentials
	f.env(t)
	a := &RDS{}
	p := params("postgresql", map[string]string{"host": "db.example.internal", "user_name": "app", "auth_type": "aws-iam", "aws_region": "us-east-1",
		"aws_role_arn": "arn:aws:iam::123456789012:role/db-connect", "aws_external_id": "ext-1234", "options.sslmode": "require"})
	m, err := a.Mint(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	verifyToken(t, m.Fields["password"], "db.example.internal:5432", "app", "us-east-1", f.role)
	if m.Expires.After(time.Now().Add(f.roleLife)) || m.Expires.Before(time.Now().Add(f.roleLife-time.Minute)) {
		t.Errorf("Expires %v does not follow the role credentials' expiry", m.Expires)
	}
	f.mu.Lock()
	form := f.lastForm
	f.mu.Unlock()
	if form.Get("RoleArn") != "arn:aws:iam::123456789012:role/db-connect" || form.Get("ExternalId") != "ext-1234" || form.Get("RoleSessionName") != DefaultSessionName {
		t.Errorf("AssumeRole got %v", form)
	}
	// A second mint reuses the role's cached credentials.
	if _, err := a.Mint(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if n := f.count("AssumeRole"); n != 1 {
		t.Errorf("AssumeRole called %d times for two tokens, want 1", n)
	}
	f.check(t)
}

func TestRDSErrorsNameNoSecret(t *testing.T) {
	f := newFakeAWS(t)
	f.env(t)
	// The role's STS call is signed with other credentials than the fake
	// expects: STS refuses it.
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong-"+f.base.SecretAccessKey)
	a := &RDS{}
	p := params("postgresql", map[string]string{"host": "h", "user_name": "app", "auth_type": "aws-iam", "aws_region": "us-east-1", "aws_role_arn": "arn:aws:iam::123456789012:role/db", "options.sslmode": "require"})
	_, err := a.Mint(context.Background(), p)
	if err == nil {
		t.Fatal("minted with credentials STS refused")
	}
	if !strings.Contains(err.Error(), "aws_role_arn") {
		t.Errorf("error does not name the step: %v", err)
	}
	for _, s := range []string{f.base.SecretAccessKey, "wrong-" + f.base.SecretAccessKey, f.role.SecretAccessKey, f.role.SessionToken} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error leaks a secret: %v", err)
		}
	}
	// No region anywhere.
	t.Setenv("AWS_SECRET_ACCESS_KEY", f.base.SecretAccessKey)
	_, err = (&RDS{}).Mint(context.Background(), params("postgresql", map[string]string{"host": "h", "user_name": "app", "auth_type": "aws-iam", "options.sslmode": "require"}))
	if err == nil || !strings.Contains(err.Error(), "aws_region") {
		t.Errorf("no region: %v", err)
	}
}

func TestValidate(t *testing.T) {
	ok := map[string]string{"host": "h", "user_name": "app", "auth_type": "aws-iam", "options.sslmode": "require"}
	with := func(kv ...string) map[string]string {
		m := maps.Clone(ok)
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "<absent>" {
				delete(m, kv[i])
				continue
			}
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, c := range []struct {
		typ    string
		fields map[string]string
		field  string // "" : valid
	}{
		{"postgresql", ok, ""},
		{"postgresql", with("aws_region", "eu-central-1", "aws_role_arn", "arn:aws-cn:iam::123456789012:role/path/db", "aws_role_session_name", "svc@vap", "aws_profile", "prod"), ""},
		{"postgresql", with("aws_region", "EU Central"), "aws_region"},
		{"postgresql", with("aws_role_arn", "arn:aws:iam::1234:role/db"), "aws_role_arn"},
		{"postgresql", with("aws_role_arn", "arn:aws:s3:::bucket"), "aws_role_arn"},
		{"postgresql", with("aws_role_arn", "arn:aws:iam::123456789012:user/bob"), "aws_role_arn"},
		{"postgresql", with("aws_role_arn", "arn:aws:iam::123456789012:role/db", "aws_role_session_name", "has space"), "aws_role_session_name"},
		{"postgresql", with("aws_external_id", "x1"), "aws_external_id"}, // without a role
		{"postgresql", with("password", "stored"), "password"},
		{"postgresql", with("options.sslmode", "<absent>"), "options.sslmode"}, // default prefer
		{"postgresql", with("options.sslmode", "disable"), "options.sslmode"},
		{"postgresql", with("options.sslmode", "allow"), "options.sslmode"},
		{"postgresql", with("options.sslmode", "verify-ca"), ""},
		{"postgresql", with("auth_type", "azure-ad"), "auth_type"},
		{"postgresql", with("auth_type", "<absent>", "aws_region", "us-east-1"), "aws_region"},
		{"postgresql", with("user_name", "<absent>"), "user_name"},
		{"postgresql", with("cluster_identifier", "c"), "cluster_identifier"},
		{"mysql", with("options.sslmode", "<absent>", "options.tls", "true"), ""},
		{"mysql", with("options.sslmode", "<absent>", "options.tls", "skip-verify"), ""},
		{"mysql", with("options.sslmode", "<absent>"), "options.tls"}, // default preferred
		{"mysql", with("options.sslmode", "<absent>", "options.tls", "preferred"), "options.tls"},
		{"mysql", with("options.sslmode", "<absent>", "options.tls", "false"), "options.tls"},
		{"mysql", with("options.sslmode", "<absent>", "options.tls", "true", "password", "pw"), "password"},
		{"mysql", with("options.sslmode", "<absent>", "options.tls", "true", "aws_region", "us-east-1 "), "aws_region"},
		{"sqlalchemy-redshift", with("options.sslmode", "<absent>", "cluster_identifier", "c1", "db_groups", "a,b", "auto_create", "true", "duration_seconds", "3600"), ""},
		{"sqlalchemy-redshift", with("options.sslmode", "<absent>", "user_name", "<absent>", "workgroup_name", "wg"), ""},
		{"sqlalchemy-redshift", with("options.sslmode", "<absent>"), "cluster_identifier"},
		{"sqlalchemy-redshift", with("cluster_identifier", "c1", "workgroup_name", "wg"), "workgroup_name"},
		{"sqlalchemy-redshift", with("cluster_identifier", "c1", "user_name", "<absent>"), "user_name"},
		{"sqlalchemy-redshift", with("workgroup_name", "wg"), "user_name"},
		{"sqlalchemy-redshift", with("user_name", "<absent>", "workgroup_name", "wg", "db_groups", "g"), "db_groups"},
		{"sqlalchemy-redshift", with("cluster_identifier", "c1", "duration_seconds", "899"), "duration_seconds"},
		{"sqlalchemy-redshift", with("cluster_identifier", "c1", "duration_seconds", "3601"), "duration_seconds"},
		{"sqlalchemy-redshift", with("cluster_identifier", "c1", "auto_create", "maybe"), "auto_create"},
		{"sqlalchemy-redshift", with("cluster_identifier", "c1", "options.sslmode", "prefer"), "options.sslmode"},
		{"sqlalchemy-redshift", with("auth_type", "<absent>", "user_name", "<absent>"), "user_name"},
	} {
		p := params(c.typ, c.fields)
		err := registry.Lookup(c.typ).Validate(p)
		if err == nil {
			a, _ := credential.LookupAuth(AuthType, c.typ)
			if v, ok := a.(credential.Validator); ok {
				err = v.Validate(p)
			}
		}
		var fe *registry.FieldError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s %v: %v", c.typ, c.fields, err)
		case c.field != "" && (!errors.As(err, &fe) || fe.Field != c.field):
			t.Errorf("%s %v: got %v, want an error on %s", c.typ, c.fields, err, c.field)
		}
		if err != nil {
			for k, v := range c.fields {
				if len(v) > 3 && k != "auth_type" && !strings.HasPrefix(k, "options.") && strings.Contains(err.Error(), v) {
					t.Errorf("error quotes the value of %s: %v", k, err)
				}
			}
		}
	}
}

// TestTokenOnTheWirePostgres: the minted token is what pgx sends in the
// PasswordMessage, inside TLS, to a server asking for a cleartext
// password.
func TestTokenOnTheWirePostgres(t *testing.T) {
	f := newFakeAWS(t)
	f.env(t)
	ca := newTestCA(t)
	srv := startFake(t, fakePostgres(ca.serverConfig()))
	p := params("postgresql", map[string]string{"host": "127.0.0.1", "port": strconv.Itoa(srv.port()), "user_name": "iam_app", "dbname": "app",
		"auth_type": "aws-iam", "aws_region": "us-west-2", "options.sslmode": "verify-full", "options.sslrootcert": ca.caFile})
	if err := registry.Lookup("postgresql").Validate(p); err != nil {
		t.Fatal(err)
	}
	m, err := (&RDS{}).Mint(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	connectOnce(t, "postgresql", over(p, m))
	got := srv.seen()
	if len(got) != 1 || !got[0].tls || got[0].user != "iam_app" || got[0].password != m.Fields["password"] {
		t.Fatalf("server saw %d logins (tls %v, user %q), want one over TLS with the minted token as password", len(got), len(got) == 1 && got[0].tls, firstUser(got))
	}
	verifyToken(t, got[0].password, "127.0.0.1:"+strconv.Itoa(srv.port()), "iam_app", "us-west-2", f.base)
}

// TestTokenOnTheWireMySQL: the token is what go-sql-driver/mysql sends
// when the server switches to mysql_clear_password, inside TLS.
func TestTokenOnTheWireMySQL(t *testing.T) {
	f := newFakeAWS(t)
	f.env(t)
	ca := newTestCA(t)
	srv := startFake(t, fakeMySQL(ca.serverConfig()))
	p := params("mysql", map[string]string{"host": "127.0.0.1", "port": strconv.Itoa(srv.port()), "user_name": "iam_app",
		"auth_type": "aws-iam", "aws_region": "us-west-2", "options.tls": "skip-verify"})
	if err := registry.Lookup("mysql").Validate(p); err != nil {
		t.Fatal(err)
	}
	m, err := (&RDS{}).Mint(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	connectOnce(t, "mysql", over(p, m))
	got := srv.seen()
	if len(got) != 1 || !got[0].tls || got[0].user != "iam_app" || got[0].password != m.Fields["password"] {
		t.Fatalf("server saw %d logins (user %q), want one over TLS with the minted token as password", len(got), firstUser(got))
	}
	verifyToken(t, got[0].password, "127.0.0.1:"+strconv.Itoa(srv.port()), "iam_app", "us-west-2", f.base)
}

// TestConnectorRefusesIAMWithoutTLS: even when the fields did not go
// through Validate, the connectors refuse to send a token where TLS may
// be skipped.
func TestConnectorRefusesIAMWithoutTLS(t *testing.T) {
	for typ, fields := range map[string]map[string]string{
		"postgresql": {"host": "127.0.0.1", "user_name": "u", "password": "tok", "auth_type": "aws-iam", "options.sslmode": "prefer"},
		"mysql":      {"host": "127.0.0.1", "user_name": "u", "password": "tok", "auth_type": "aws-iam", "options.tls": "preferred"},
	} {
		_, err := registry.Lookup(typ).Connector(context.Background(), params(typ, fields))
		var fe *registry.FieldError
		if !errors.As(err, &fe) || !strings.HasPrefix(fe.Field, "options.") {
			t.Errorf("%s: connector with aws-iam and optional TLS: %v", typ, err)
		}
	}
}

func firstUser(c []capture) string {
	if len(c) == 0 {
		return ""
	}
	return c[0].user
}

// connectOnce opens one physical connection with the type's connector and
// closes it.
func connectOnce(t *testing.T, typ string, p registry.Params) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := registry.Lookup(typ).Connector(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := c.Connect(ctx)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	conn.Close()
}
