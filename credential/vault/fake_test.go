package vault

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeVault is a local Vault with exactly the endpoints the package uses:
// KV version 2 reads (GET /v1/MOUNT/data/PATH), database credentials (GET
// /v1/MOUNT/creds/ROLE), lease renewal (PUT /v1/sys/leases/renew), AppRole
// and Kubernetes logins (/v1/auth/approle/login, /v1/auth/kubernetes/login),
// and login token renewal (PUT /v1/auth/token/renew-self). It checks
// X-Vault-Token, ends a lease with the token that created it (as Vault
// revokes a token's leases), runs on a settable clock, and counts requests.
type fakeVault struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	clock    time.Time
	tokens   map[string]time.Time // token → expiry (zero: none)
	kv       map[string]map[string]any
	dbMount  string
	leases   map[string]*fakeLease
	leaseTTL time.Duration
	maxTTL   time.Duration
	tokenTTL time.Duration
	tokenMax time.Duration        // a login token's maximum life
	tokenEnd map[string]time.Time // login token → its maximum expiry
	roleID   string
	secretID string
	k8sRole  string
	jwt      string
	seq      int
	requests map[string]int // "METHOD /path" → count
	// onCreds, when set, is called with each new database user (to create
	// it on a real server); an error is a 500.
	onCreds func(user, password string) error
	// onRevoke, when set, is called by sweep for each user whose lease has
	// ended (to drop it on the real server).
	onRevoke func(user string) error
}

// sweep revokes the leases that have ended, as Vault's expiration manager
// does, calling onRevoke for each.
func (f *fakeVault) sweep() error {
	f.mu.Lock()
	var ended []string
	for id, l := range f.leases {
		if !f.clock.Before(l.expires) || !f.liveLocked(l.token) {
			ended = append(ended, l.user)
			delete(f.leases, id)
		}
	}
	f.mu.Unlock()
	for _, u := range ended {
		if f.onRevoke != nil {
			if err := f.onRevoke(u); err != nil {
				return err
			}
		}
	}
	return nil
}

type fakeLease struct {
	user, password string
	expires, max   time.Time
	token          string // the token that created it: the lease ends with it
}

func newFakeVault(t testing.TB) *fakeVault {
	f := &fakeVault{t: t, clock: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), tokens: map[string]time.Time{},
		kv: map[string]map[string]any{}, dbMount: "database", leases: map[string]*fakeLease{},
		leaseTTL: time.Hour, maxTTL: 3 * time.Hour, tokenTTL: 20 * time.Minute, tokenMax: 2 * time.Hour,
		tokenEnd: map[string]time.Time{}, requests: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeVault) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clock
}

func (f *fakeVault) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = f.clock.Add(d)
}

func (f *fakeVault) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[key]
}

// addToken makes tok valid until ttl from now (0: forever).
func (f *fakeVault) addToken(tok string, ttl time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var exp time.Time
	if ttl > 0 {
		exp = f.clock.Add(ttl)
	}
	f.tokens[tok] = exp
}

func (f *fakeVault) revokeTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens = map[string]time.Time{}
}

// validUser reports whether user/password is a live lease's.
func (f *fakeVault) validUser(user, password string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range f.leases {
		if l.user == user && l.password == password && f.clock.Before(l.expires) && f.liveLocked(l.token) {
			return true
		}
	}
	return false
}

// liveLocked reports whether tok is a live token; f.mu is held.
func (f *fakeVault) liveLocked(tok string) bool {
	exp, ok := f.tokens[tok]
	return ok && (exp.IsZero() || f.clock.Before(exp))
}

func reply(w http.ResponseWriter, code int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(body)
}

func fail(w http.ResponseWriter, code int, msg ...string) {
	if msg == nil {
		msg = []string{}
	}
	reply(w, code, map[string]any{"errors": msg})
}

func (f *fakeVault) serve(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if r.Body != nil {
		json.NewDecoder(r.Body).Decode(&body)
	}
	str := func(k string) string { s, _ := body[k].(string); return s }
	f.mu.Lock()
	f.requests[r.Method+" "+r.URL.Path]++
	f.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/v1/")
	login := func(ok bool) {
		if !ok {
			fail(w, http.StatusBadRequest, "invalid credentials")
			return
		}
		f.mu.Lock()
		f.seq++
		tok := fmt.Sprintf("hvs.login-%d-token", f.seq)
		f.tokens[tok] = f.clock.Add(f.tokenTTL)
		f.tokenEnd[tok] = f.clock.Add(f.tokenMax)
		f.mu.Unlock()
		reply(w, 200, map[string]any{"auth": map[string]any{"client_token": tok, "lease_duration": int(f.tokenTTL.Seconds()), "renewable": true}})
	}
	switch {
	case (r.Method == http.MethodPut || r.Method == http.MethodPost) && path == "auth/approle/login":
		login(f.roleID != "" && str("role_id") == f.roleID && str("secret_id") == f.secretID)
		return
	case (r.Method == http.MethodPut || r.Method == http.MethodPost) && path == "auth/kubernetes/login":
		login(f.k8sRole != "" && str("role") == f.k8sRole && str("jwt") == f.jwt)
		return
	}
	tok := r.Header.Get("X-Vault-Token")
	f.mu.Lock()
	live := f.liveLocked(tok)
	f.mu.Unlock()
	if !live {
		fail(w, http.StatusForbidden, "permission denied")
		return
	}
	switch {
	case r.Method == http.MethodPut && path == "auth/token/renew-self":
		f.mu.Lock()
		end, ok := f.tokenEnd[tok]
		if !ok {
			f.mu.Unlock()
			fail(w, http.StatusBadRequest, "token not renewable")
			return
		}
		exp := f.clock.Add(f.tokenTTL)
		if exp.After(end) {
			exp = end
		}
		f.tokens[tok] = exp
		d := exp.Sub(f.clock)
		f.mu.Unlock()
		reply(w, 200, map[string]any{"auth": map[string]any{"client_token": tok, "lease_duration": int(d.Seconds()), "renewable": true}})
	case r.Method == http.MethodPut && path == "sys/leases/renew":
		f.mu.Lock()
		l, ok := f.leases[str("lease_id")]
		if !ok || !f.clock.Before(l.expires) || !f.liveLocked(l.token) {
			f.mu.Unlock()
			fail(w, http.StatusBadRequest, "lease not found or lease is not renewable")
			return
		}
		l.expires = f.clock.Add(f.leaseTTL)
		if l.expires.After(l.max) {
			l.expires = l.max
		}
		d := l.expires.Sub(f.clock)
		f.mu.Unlock()
		reply(w, 200, map[string]any{"lease_id": str("lease_id"), "lease_duration": int(d.Seconds()), "renewable": true})
	case r.Method == http.MethodGet && strings.HasPrefix(path, f.dbMount+"/creds/"):
		role := strings.TrimPrefix(path, f.dbMount+"/creds/")
		if role != "app" {
			fail(w, http.StatusBadRequest, fmt.Sprintf("unknown role: %s", role))
			return
		}
		f.mu.Lock()
		f.seq++
		n := f.seq
		f.mu.Unlock()
		user, password := fmt.Sprintf("v-app-%d-%d", time.Now().UnixNano()%1e6, n), fmt.Sprintf("A1a-dynamic-%d-pw", n)
		if f.onCreds != nil {
			if err := f.onCreds(user, password); err != nil {
				fail(w, http.StatusInternalServerError, "creating the user failed")
				return
			}
		}
		id := fmt.Sprintf("%s/creds/app/lease%d", f.dbMount, n)
		f.mu.Lock()
		f.leases[id] = &fakeLease{user: user, password: password, expires: f.clock.Add(f.leaseTTL), max: f.clock.Add(f.maxTTL), token: tok}
		f.mu.Unlock()
		reply(w, 200, map[string]any{"lease_id": id, "lease_duration": int(f.leaseTTL.Seconds()), "renewable": true,
			"data": map[string]any{"username": user, "password": password}})
	case r.Method == http.MethodGet && strings.Contains(path, "/data/"):
		mount, rest, _ := strings.Cut(path, "/data/")
		f.mu.Lock()
		data, ok := f.kv[mount+"/"+rest]
		f.mu.Unlock()
		if !ok {
			fail(w, http.StatusNotFound)
			return
		}
		reply(w, 200, map[string]any{"data": map[string]any{"data": data,
			"metadata": map[string]any{"version": 1, "created_time": "2026-01-01T00:00:00Z", "deletion_time": "", "destroyed": false}}})
	default:
		fail(w, http.StatusNotFound, "no handler for route \""+path+"\"")
	}
}
