package tdspeer_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/peer/tdspeer"
)

// TestEncryptModes runs a query in each of go-mssqldb's encrypt modes:
// true (TLS inside PRELOGIN, the whole session encrypted), strict (TDS
// 8.0: TLS first, ALPN tds/8.0), false (only LOGIN7 encrypted) and
// disable (TLS 1.3; TestTLS12Peer covers TLS 1.2).
func TestEncryptModes(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	ctx := testContext(t)
	for _, mode := range []string{"true", "strict", "false", "disable"} {
		{
			t.Run(mode, func(t *testing.T) {
				db := openWith(t, dsn(p, testUser, testPassword, mode))
				var s string
				if err := db.QueryRowContext(ctx, "SELECT N'héllo ✓ '+N'wörld'").Scan(&s); err != nil {
					t.Fatalf("query: %v", err)
				}
				if s != "héllo ✓ wörld" {
					t.Errorf("got %q", s)
				}
				// a result larger than one packet
				var long string
				if err := db.QueryRowContext(ctx, "SELECT REPLICATE(N'x', 20000)").Scan(&long); err != nil {
					t.Fatalf("long query: %v", err)
				}
				if len(long) != 20000 {
					t.Errorf("long: %d characters", len(long))
				}
			})
		}
	}
}

// TestTLS12Peer proves the PRELOGIN-wrapped handshake with TLS 1.2 (the
// server's second flight comes after the client's Finished).
func TestTLS12Peer(t *testing.T) {
	caPEM, cfg := testCA(t)
	cfg.MaxVersion = tls.VersionTLS12
	p := startPeer(t, tdspeer.Config{TLS: cfg})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	for _, mode := range []string{"true", "false", "strict"} {
		d := strings.Replace(dsn(p, testUser, testPassword, mode), "certificate=", "certificate="+url.QueryEscape(caFile), 1)
		var n int
		if err := openWith(t, d).QueryRowContext(ctx, "SELECT 42").Scan(&n); err != nil || n != 42 {
			t.Errorf("%s: %d, %v", mode, n, err)
		}
	}
}

// TestCertificateVerified proves the driver's verification is real: a CA
// that did not sign the peer's certificate fails the handshake, and so
// does a host name the certificate lacks.
func TestCertificateVerified(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	other, _ := testCA(t)
	otherFile := filepath.Join(t.TempDir(), "other.pem")
	if err := os.WriteFile(otherFile, other, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	d := dsn(p, testUser, testPassword, "true")
	wrongCA := strings.Replace(d, url.QueryEscape(p.CAFile()), url.QueryEscape(otherFile), 1)
	if err := openWith(t, wrongCA).PingContext(ctx); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("wrong CA: %v, want a certificate error", err)
	}
	wrongHost := d + "&hostnameincertificate=db.example.com"
	if err := openWith(t, wrongHost).PingContext(ctx); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("wrong host name: %v, want a certificate error", err)
	}
}

// testCA makes a CA and a server certificate for localhost signed by it.
func testCA(t *testing.T) ([]byte, *tls.Config) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		&tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}
