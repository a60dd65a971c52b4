package awsiam

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// testCA is a CA and a server certificate for 127.0.0.1 and localhost.
type testCA struct {
	server tls.Certificate
	pool   *x509.CertPool
	caFile string
}

func newTestCA(t testing.TB) *testCA {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "vap test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	c := &testCA{server: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool: x509.NewCertPool()}
	c.pool.AddCert(ca)
	c.caFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(c.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *testCA) serverConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{c.server}, MinVersion: tls.VersionTLS12}
}

// verifySigV4 checks that r (whose body is body) carries a SigV4
// Authorization header made with creds for service: it signs a copy of r
// holding only the signed headers at r's X-Amz-Date and compares.
func verifySigV4(r *http.Request, body []byte, creds aws.Credentials, service string) error {
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") {
		return fmt.Errorf("no SigV4 Authorization header")
	}
	if !strings.Contains(auth, "Credential="+creds.AccessKeyID+"/") {
		return fmt.Errorf("signed with another access key")
	}
	if creds.SessionToken != "" && r.Header.Get("X-Amz-Security-Token") != creds.SessionToken {
		return fmt.Errorf("session token missing or different")
	}
	// The region is the one the client signed for (the tests use several).
	scope := strings.Split(strings.SplitN(strings.SplitN(auth, "Credential=", 2)[1], ",", 2)[0], "/")
	if len(scope) != 5 || scope[3] != service {
		return fmt.Errorf("credential scope %v is not for %s", scope, service)
	}
	region := scope[2]
	i := strings.Index(auth, "SignedHeaders=")
	if i < 0 {
		return fmt.Errorf("no SignedHeaders")
	}
	signed := strings.Split(strings.SplitN(auth[i+len("SignedHeaders="):], ",", 2)[0], ";")
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return fmt.Errorf("X-Amz-Date: %v", err)
	}
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	cp, _ := http.NewRequest(r.Method, u.String(), bytes.NewReader(body))
	cp.Header = http.Header{}
	for _, h := range signed {
		if h == "host" {
			continue
		}
		cp.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
	}
	cp.Header.Del("Authorization")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, cp, hex.EncodeToString(sum[:]), service, region, when); err != nil {
		return err
	}
	if cp.Header.Get("Authorization") != auth {
		return fmt.Errorf("signature does not verify")
	}
	return nil
}

// fakeAWS is a local STS and Redshift (provisioned and Serverless): it
// checks every request's SigV4 signature, counts requests per action and
// answers with fresh credentials.
type fakeAWS struct {
	srv *httptest.Server

	base aws.Credentials // what the caller's environment holds
	role aws.Credentials // what AssumeRole hands out
	// roleLife is how long the assumed role's credentials last.
	roleLife time.Duration
	// dbLife is how long Redshift's temporary credentials last.
	dbLife time.Duration
	// dbUser is the user GetClusterCredentials and GetCredentials answer.
	dbUser string

	mu        sync.Mutex
	calls     map[string]int
	passwords []string
	lastForm  url.Values
	lastJSON  string
	failures  []string
	n         atomic.Int64
}

func newFakeAWS(t *testing.T) *fakeAWS {
	f := &fakeAWS{
		base:     aws.Credentials{AccessKeyID: "AKIABASEEXAMPLE", SecretAccessKey: "base-secret-" + randHex(8)},
		role:     aws.Credentials{AccessKeyID: "ASIAROLEEXAMPLE", SecretAccessKey: "role-secret-" + randHex(8), SessionToken: "role-session-" + randHex(8)},
		roleLife: time.Hour,
		dbLife:   15 * time.Minute,
		dbUser:   "IAM:vap_test",
		calls:    map[string]int{},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (f *fakeAWS) fail(format string, args ...any) {
	f.mu.Lock()
	f.failures = append(f.failures, fmt.Sprintf(format, args...))
	f.mu.Unlock()
}

func (f *fakeAWS) count(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[action]
}

func (f *fakeAWS) check(t *testing.T) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.failures {
		t.Error("fake AWS: " + s)
	}
}

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	action := ""
	if tgt := r.Header.Get("X-Amz-Target"); tgt != "" {
		action = tgt[strings.LastIndexByte(tgt, '.')+1:]
	} else {
		form, _ := url.ParseQuery(string(body))
		action = form.Get("Action")
		f.mu.Lock()
		f.lastForm = form
		f.mu.Unlock()
	}
	f.mu.Lock()
	f.calls[action]++
	f.mu.Unlock()
	now := time.Now().UTC()
	switch action {
	case "AssumeRole":
		if err := verifySigV4(r, body, f.base, "sts"); err != nil {
			f.fail("AssumeRole: %v", err)
			http.Error(w, "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>bad signature</Message></Error></ErrorResponse>", http.StatusForbidden)
			return
		}
		fmt.Fprintf(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken><Expiration>%s</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/db/vap</Arn><AssumedRoleId>AROAEXAMPLE:vap</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
			f.role.AccessKeyID, f.role.SecretAccessKey, f.role.SessionToken, now.Add(f.roleLife).Format(time.RFC3339))
	case "GetClusterCredentials", "GetCredentials":
		service := "redshift"
		if action == "GetCredentials" {
			service = "redshift-serverless"
			f.mu.Lock()
			f.lastJSON = string(body)
			f.mu.Unlock()
		}
		creds := f.base
		if r.Header.Get("X-Amz-Security-Token") != "" {
			creds = f.role
		}
		if err := verifySigV4(r, body, creds, service); err != nil {
			f.fail("%s: %v", action, err)
			http.Error(w, "bad signature", http.StatusForbidden)
			return
		}
		pw := fmt.Sprintf("Pw%d-%s", f.n.Add(1), randHex(12))
		f.mu.Lock()
		f.passwords = append(f.passwords, pw)
		f.mu.Unlock()
		exp := now.Add(f.dbLife)
		if action == "GetCredentials" {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			fmt.Fprintf(w, `{"dbUser":%q,"dbPassword":%q,"expiration":%d,"nextRefreshTime":%d}`, f.dbUser, pw, exp.Unix(), exp.Unix())
			return
		}
		fmt.Fprintf(w, `<GetClusterCredentialsResponse xmlns="http://redshift.amazonaws.com/doc/2012-12-01/"><GetClusterCredentialsResult><DbUser>%s</DbUser><DbPassword>%s</DbPassword><Expiration>%s</Expiration></GetClusterCredentialsResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></GetClusterCredentialsResponse>`,
			f.dbUser, pw, exp.Format(time.RFC3339))
	default:
		f.fail("unexpected action %q", action)
		http.Error(w, "unknown action", http.StatusBadRequest)
	}
}

// awsEnv points the AWS SDK's default chain at f, and at nothing else of
// the machine: static base credentials in the environment, no shared
// files, no instance metadata.
func (f *fakeAWS) env(t *testing.T) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":                      f.base.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY":                  f.base.SecretAccessKey,
		"AWS_SESSION_TOKEN":                      "",
		"AWS_REGION":                             "",
		"AWS_DEFAULT_REGION":                     "",
		"AWS_PROFILE":                            "",
		"AWS_CONFIG_FILE":                        filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE":            filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":              "true",
		"AWS_ENDPOINT_URL":                       "",
		"AWS_ENDPOINT_URL_STS":                   f.srv.URL,
		"AWS_ENDPOINT_URL_REDSHIFT":              f.srv.URL,
		"AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS":   f.srv.URL,
		"AWS_WEB_IDENTITY_TOKEN_FILE":            "",
		"AWS_ROLE_ARN":                           "",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     "",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
	} {
		t.Setenv(k, v)
	}
}
