package azuread_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeEntra is a local Microsoft Entra ID authority over TLS: OpenID
// discovery and the v2.0 token endpoint (client credentials with a secret
// or a signed client assertion), and an App Service managed identity
// endpoint. It issues random opaque tokens, remembers which principal
// each was issued to, and counts token requests.
type fakeEntra struct {
	srv    *httptest.Server
	tenant string
	// clients: client ID → secret ("" for a certificate or federated client)
	secrets map[string]string
	// certs: client ID → the certificate its assertions are signed with
	certs map[string]*x509.Certificate
	// federated: client ID → the federated token (workload identity) it presents
	federated map[string]string
	// msiHeader is the X-IDENTITY-HEADER the managed identity endpoint expects.
	msiHeader string
	// life is the expires_in of the tokens issued, in seconds.
	life int

	mu       sync.Mutex
	issued   map[string]string // token → principal
	requests int
	failures []string
}

func newFakeEntra(t *testing.T) *fakeEntra {
	f := &fakeEntra{tenant: "00000000-0000-4000-8000-00000000abcd", secrets: map[string]string{}, certs: map[string]*x509.Certificate{},
		federated: map[string]string{}, issued: map[string]string{}, life: 3600, msiHeader: "msi-header-" + randHex(6)}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return fmt.Sprintf("%x", b)
}

func (f *fakeEntra) fail(format string, args ...any) {
	f.mu.Lock()
	f.failures = append(f.failures, fmt.Sprintf(format, args...))
	f.mu.Unlock()
}

func (f *fakeEntra) check(t *testing.T) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.failures {
		t.Error("fake Entra ID: " + s)
	}
}

func (f *fakeEntra) tokenRequests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// principal returns who token was issued to, for the SQL Server peer.
func (f *fakeEntra) principal(token string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.issued[token]
	return p, ok
}

func (f *fakeEntra) issue(w http.ResponseWriter, principal string, managed bool) {
	tok := "fake-entra-token." + randHex(16)
	f.mu.Lock()
	f.issued[tok] = principal
	f.requests++
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if managed {
		json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "expires_in": fmt.Sprint(f.life), "expires_on": fmt.Sprint(nowUnix() + int64(f.life)), "resource": "https://database.windows.net", "token_type": "Bearer"})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": f.life, "ext_expires_in": f.life, "access_token": tok})
}

func oauthError(w http.ResponseWriter, code int, e, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"error": e, "error_description": desc, "error_codes": []int{7000215}})
}

func (f *fakeEntra) serve(w http.ResponseWriter, r *http.Request) {
	base := f.srv.URL + "/" + f.tenant
	switch {
	case r.URL.Path == "/"+f.tenant+"/v2.0/.well-known/openid-configuration":
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"token_endpoint":         base + "/oauth2/v2.0/token",
			"authorization_endpoint": base + "/oauth2/v2.0/authorize",
			"issuer":                 base + "/v2.0",
		})
	case r.URL.Path == "/"+f.tenant+"/oauth2/v2.0/token" && r.Method == "POST":
		if err := r.ParseForm(); err != nil {
			oauthError(w, http.StatusBadRequest, "invalid_request", "bad form")
			return
		}
		client := r.PostForm.Get("client_id")
		// MSAL adds openid, offline_access and profile to the scope asked.
		if r.PostForm.Get("grant_type") != "client_credentials" || !slices.Contains(strings.Fields(r.PostForm.Get("scope")), "https://database.windows.net/.default") {
			f.fail("token request grant %q scope %q", r.PostForm.Get("grant_type"), r.PostForm.Get("scope"))
			oauthError(w, http.StatusBadRequest, "invalid_request", "unexpected grant or scope")
			return
		}
		if secret, ok := f.secrets[client]; ok && secret != "" {
			if r.PostForm.Get("client_secret") != secret {
				oauthError(w, http.StatusUnauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
				return
			}
			f.issue(w, client+"@"+f.tenant, false)
			return
		}
		assertion := r.PostForm.Get("client_assertion")
		if r.PostForm.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || assertion == "" {
			oauthError(w, http.StatusUnauthorized, "invalid_client", "no client authentication")
			return
		}
		if want, ok := f.federated[client]; ok {
			if assertion != want {
				oauthError(w, http.StatusUnauthorized, "invalid_client", "AADSTS700211: No matching federated identity record found.")
				return
			}
			f.issue(w, client+"@"+f.tenant, false)
			return
		}
		cert, ok := f.certs[client]
		if !ok {
			oauthError(w, http.StatusBadRequest, "unauthorized_client", "unknown client")
			return
		}
		if err := verifyAssertion(assertion, cert, client, base+"/oauth2/v2.0/token"); err != nil {
			f.fail("client assertion: %v", err)
			oauthError(w, http.StatusUnauthorized, "invalid_client", "AADSTS700027: Client assertion contains an invalid signature.")
			return
		}
		f.issue(w, client+"@"+f.tenant, false)
	case r.URL.Path == "/msi/token":
		if r.Header.Get("X-IDENTITY-HEADER") != f.msiHeader {
			f.fail("managed identity request without the identity header")
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		if r.URL.Query().Get("resource") != "https://database.windows.net" {
			f.fail("managed identity resource %q", r.URL.Query().Get("resource"))
		}
		principal := "system-assigned@" + f.tenant
		if c := r.URL.Query().Get("client_id"); c != "" {
			principal = c + "@" + f.tenant
		}
		f.issue(w, principal, true)
	default:
		f.fail("unexpected request %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	}
}

// verifyAssertion checks a client assertion JWT: RS256 (or PS256) signed
// by cert, issued by and about client, for the token endpoint aud.
func verifyAssertion(jwt string, cert *x509.Certificate, client, aud string) error {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return fmt.Errorf("not a JWT")
	}
	var hdr struct {
		Alg string `json:"alg"`
	}
	var claims struct {
		Iss, Sub string
		Aud      any
	}
	for i, v := range []any{&hdr, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, v); err != nil {
			return err
		}
	}
	if claims.Iss != client || claims.Sub != client || fmt.Sprint(claims.Aud) != aud && fmt.Sprint(claims.Aud) != "["+aud+"]" {
		return fmt.Errorf("claims iss %q sub %q aud %v", claims.Iss, claims.Sub, claims.Aud)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	pub := cert.PublicKey.(*rsa.PublicKey)
	switch hdr.Alg {
	case "RS256":
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig)
	case "PS256":
		return rsa.VerifyPSS(pub, crypto.SHA256, sum[:], sig, nil)
	}
	return fmt.Errorf("alg %q", hdr.Alg)
}

func nowUnix() int64 { return time.Now().Unix() }
