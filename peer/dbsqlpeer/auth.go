package dbsqlpeer

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// The workspace endpoints for OAuth, as on Databricks.
const (
	tokenPath     = "/oidc/v1/token"
	discoveryPath = "/oidc/.well-known/oauth-authorization-server"

	grantClientCredentials = "client_credentials"
	grantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
)

// Identities the peer gives the callers it authenticates, which
// current_user() returns: the personal access token's user, the client ID
// for a client_credentials token, the Config.Viewers name for a viewer's
// exchanged token.
const (
	TokenUser     = "token-user@dbsqlpeer"
	FederatedUser = "federated-user@dbsqlpeer"
)

// issuedToken is a token the token endpoint issued: until when it is
// valid and whose it is.
type issuedToken struct {
	expires time.Time
	user    string
}

// authorized reports whether r carries "Authorization: Bearer <token>" with
// the configured token or an unexpired token the token endpoint issued.
func (p *Peer) authorized(r *http.Request) bool {
	_, ok := p.caller(r)
	return ok
}

// caller returns whose bearer token r carries, if it is valid.
func (p *Peer) caller(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", false
	}
	if p.cfg.Token != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(p.cfg.Token)) == 1 {
		return TokenUser, true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	it, ok := p.tokens[tok]
	if !ok || !time.Now().Before(it.expires) {
		return "", false
	}
	return it.user, true
}

func equalSecret(a, b string) bool {
	return b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// serveToken is the OAuth token endpoint: a client_credentials grant with
// the configured client (HTTP Basic or form fields), or a token exchange
// presenting the configured subject token, gets a fresh bearer token.
func (p *Peer) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	var user string
	switch r.PostForm.Get("grant_type") {
	case grantClientCredentials:
		id, secret, basic := r.BasicAuth()
		if !basic {
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		if p.cfg.ClientID == "" || !equalSecret(id, p.cfg.ClientID) || !equalSecret(secret, p.cfg.ClientSecret) {
			oauthError(w, http.StatusUnauthorized, "invalid_client")
			return
		}
		user = p.cfg.ClientID
	case grantTokenExchange:
		subject := r.PostForm.Get("subject_token")
		switch {
		case equalSecret(subject, p.cfg.SubjectToken):
			user = FederatedUser
		default:
			for tok, name := range p.cfg.Viewers {
				if equalSecret(subject, tok) {
					user = name
				}
			}
		}
		if user == "" {
			oauthError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	tok, err := p.issueToken(user)
	if err != nil {
		oauthError(w, http.StatusServiceUnavailable, "temporarily_unavailable")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"expires_in":   int((p.cfg.TokenTTL + time.Second - 1) / time.Second),
		"scope":        "all-apis",
	})
}

// issueToken mints a random token, dropping expired ones; at most
// maxIssuedTokens are live at once.
func (p *Peer) issueToken(user string) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	tok := "dbsqlpeer-" + hex.EncodeToString(b)
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	for t, it := range p.tokens {
		if !now.Before(it.expires) {
			delete(p.tokens, t)
		}
	}
	if len(p.tokens) >= maxIssuedTokens {
		return "", errTooManyTokens
	}
	p.tokens[tok] = issuedToken{expires: now.Add(p.cfg.TokenTTL), user: user}
	p.issued.Add(1)
	return tok, nil
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

// serveDiscovery is the workspace's OAuth authorization server metadata,
// which OAuth clients read to find the token endpoint.
func (p *Peer) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	base := "http://" + r.Host
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"issuer":                 base + "/oidc",
		"token_endpoint":         base + tokenPath,
		"authorization_endpoint": base + "/oidc/v1/authorize",
		"grant_types_supported":  []string{grantClientCredentials, grantTokenExchange},
	})
}
