package tinkcompat_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	vault "github.com/hashicorp/vault/api"
	"github.com/tink-crypto/tink-go-hcvault/v2/integration/hcvault"
	"github.com/tink-crypto/tink-go/v2/tink"

	_ "github.com/vapsql/vap/registry/postgres"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/keyset"
	_ "github.com/vapsql/vap/store/sqlite"
)

var noEnv = store.WithLookupEnv(func(string) (string, bool) { return "", false })

// newStore returns a store in a fresh home, and the home.
func newStore(t *testing.T, opts ...store.Option) (*store.Store, string) {
	t.Helper()
	home := t.TempDir()
	st := store.Open(append([]store.Option{store.WithHome(home), noEnv}, opts...)...)
	t.Cleanup(func() { st.Close() })
	return st, home
}

func pgConn(name, password string) *store.Connection {
	c := &store.Connection{Name: name, Type: "postgresql"}
	c.Set("host", "db.example.internal", false)
	c.Set("user_name", "ben", false)
	c.Set("password", password, false)
	c.Set("port", "5432", false)
	c.Set("dbname", "test", false)
	return c
}

// fakeTransit is a loopback HashiCorp Vault transit engine: encrypt and
// decrypt under named AES-GCM keys, behind a token, speaking Vault's JSON.
type fakeTransit struct {
	token string
	mu    sync.Mutex
	keys  map[string]cipher.AEAD
	calls int
}

func (f *fakeTransit) key(name string) cipher.AEAD {
	f.mu.Lock()
	defer f.mu.Unlock()
	if k, ok := f.keys[name]; ok {
		return k
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	blk, _ := aes.NewCipher(raw)
	k, _ := cipher.NewGCM(blk)
	f.keys[name] = k
	return k
}

func (f *fakeTransit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fail := func(code int, msg string) {
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]any{"errors": []string{msg}})
	}
	if r.Header.Get("X-Vault-Token") != f.token {
		fail(http.StatusForbidden, "permission denied")
		return
	}
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	var req map[string]string
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		fail(http.StatusBadRequest, "bad json")
		return
	}
	ad, _ := base64.StdEncoding.DecodeString(req["associated_data"])
	op, name, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/v1/transit/"), "/")
	if !ok {
		fail(http.StatusNotFound, "no handler")
		return
	}
	k := f.key(name)
	switch op {
	case "encrypt":
		pt, err := base64.StdEncoding.DecodeString(req["plaintext"])
		if err != nil {
			fail(http.StatusBadRequest, "plaintext is not base64")
			return
		}
		nonce := make([]byte, k.NonceSize())
		rand.Read(nonce)
		ct := k.Seal(nonce, nonce, pt, ad)
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]string{"ciphertext": "vault:v1:" + base64.StdEncoding.EncodeToString(ct)}})
	case "decrypt":
		ct, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(req["ciphertext"], "vault:v1:"))
		if err != nil || len(ct) < k.NonceSize() {
			fail(http.StatusBadRequest, "invalid ciphertext")
			return
		}
		pt, err := k.Open(nil, ct[:k.NonceSize()], ct[k.NonceSize():], ad)
		if err != nil {
			fail(http.StatusBadRequest, "cipher: message authentication failed")
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]string{"plaintext": base64.StdEncoding.EncodeToString(pt)}})
	default:
		fail(http.StatusNotFound, "no handler")
	}
}

// vaultKEK returns the hcvault AEAD for transit key name on the fake.
func vaultKEK(t *testing.T, addr, token, name string) tink.AEAD {
	t.Helper()
	c, err := vault.NewClient(&vault.Config{Address: addr})
	if err != nil {
		t.Fatal(err)
	}
	c.SetToken(token)
	kek, err := hcvault.NewAEAD("/transit/keys/"+name, c.Logical())
	if err != nil {
		t.Fatal(err)
	}
	return kek
}

func TestKeysetWrappedByVaultTransit(t *testing.T) {
	fake := &fakeTransit{token: "vault-token", keys: map[string]cipher.AEAD{}}
	srv := httptest.NewServer(fake) // loopback, 127.0.0.1:0
	defer srv.Close()
	kek := vaultKEK(t, srv.URL, "vault-token", "vap")

	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	wrapped, err := store.WrapKeyset(h, kek)
	if err != nil {
		t.Fatal(err)
	}
	clear, err := keyset.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var ks struct {
		Key []struct {
			KeyData struct{ Value string } `json:"keyData"`
		} `json:"key"`
	}
	if err := json.Unmarshal(clear, &ks); err != nil || len(ks.Key) != 1 || ks.Key[0].KeyData.Value == "" {
		t.Fatalf("cleartext keyset: %v", err)
	}
	if strings.Contains(string(wrapped), ks.Key[0].KeyData.Value) {
		t.Fatal("the wrapped keyset holds the key material in the clear")
	}

	got, err := store.UnwrapKeyset(wrapped, kek)
	if err != nil {
		t.Fatal(err)
	}
	// The unwrapped keyset opens what the original sealed.
	ctx := context.Background()
	st1, home := newStore(t, store.WithKeyset(h))
	if err := st1.Create(ctx, pgConn("wrapped", "pw-under-kms")); err != nil {
		t.Fatal(err)
	}
	st2 := store.Open(store.WithHome(home), noEnv, store.WithKeyset(got))
	defer st2.Close()
	if c, err := st2.Get(ctx, "wrapped"); err != nil || c.Get("password") != "pw-under-kms" {
		t.Fatalf("the unwrapped keyset does not open the original's secret: %v", err)
	}
	calls := fake.calls

	tests := []struct {
		name string
		kek  tink.AEAD
		data []byte
	}{
		{"other transit key", vaultKEK(t, srv.URL, "vault-token", "other"), wrapped},
		{"wrong vault token", vaultKEK(t, srv.URL, "not-the-token", "vap"), wrapped},
		{"altered data", kek, []byte(strings.Replace(string(wrapped), `"encryptedKeyset":"`, `"encryptedKeyset":"AA`, 1))},
		{"not JSON", kek, []byte("{")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := store.UnwrapKeyset(tc.data, tc.kek)
			if !errors.Is(err, store.ErrKeyset) {
				t.Fatalf("UnwrapKeyset = %v, want ErrKeyset", err)
			}
		})
	}
	if fake.calls <= calls {
		t.Error("the failure cases never reached the transit engine")
	}
}
