package observe

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
)

// Observable is what a peer shows and does outside SQL.
type Observable interface {
	// RunningStatements returns the text of every statement running now, in
	// any session, oldest first.
	RunningStatements() []string
	// DropSessions ends every open session, stopping its statements, and
	// returns how many it ended. The peer keeps serving new sessions.
	DropSessions() int
}

// The paths Handler serves and Remote calls.
const (
	// RunningPath answers GET with Running.
	RunningPath = "/vap/peer/running"
	// DropPath answers POST with Dropped, after ending every session.
	DropPath = "/vap/peer/drop-sessions"
)

// Running is the JSON answer at RunningPath.
type Running struct {
	Statements []string `json:"statements"`
}

// Dropped is the JSON answer at DropPath.
type Dropped struct {
	SessionsEnded int `json:"sessions_ended"`
}

// APIError is the JSON body of every refusal (Handler's and, by shape, the
// Databricks REST API's), which Call reports.
type APIError struct {
	Code    string `json:"error_code"`
	Message string `json:"message"`
}

// Handler serves a peer's Observable at RunningPath and DropPath to requests
// with "Authorization: Bearer <token>" that Authorized accepts. Other paths
// get 404, other methods 405, a missing or refused token 401; every refusal
// has an APIError body.
type Handler struct {
	// Peer is what the handler observes.
	Peer Observable
	// Authorized reports whether a bearer token is accepted; nil accepts
	// none. Token makes one for a fixed token.
	Authorized func(token string) bool
	// Refused, when set, is called for each request refused with 401 (a
	// peer's statistics count them).
	Refused func()
}

// Token returns an Authorized function accepting exactly token, compared in
// constant time; an empty token accepts nothing.
func Token(token string) func(string) bool {
	return func(got string) bool {
		return token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
	}
}

// BearerToken returns the token of r's "Authorization: Bearer <token>"
// header, and false when there is none.
func BearerToken(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", false
	}
	return tok, true
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var method string
	switch r.URL.Path {
	case RunningPath:
		method = http.MethodGet
	case DropPath:
		method = http.MethodPost
	default:
		WriteError(w, http.StatusNotFound, "NOT_FOUND", "no such path")
		return
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		WriteError(w, http.StatusMethodNotAllowed, "BAD_REQUEST", "method not allowed")
		return
	}
	tok, ok := BearerToken(r)
	if !ok || h.Authorized == nil || !h.Authorized(tok) {
		if h.Refused != nil {
			h.Refused()
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="peer"`)
		WriteError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "a valid bearer token is required")
		return
	}
	if method == http.MethodGet {
		st := h.Peer.RunningStatements()
		if st == nil {
			st = []string{}
		}
		WriteJSON(w, Running{Statements: st})
		return
	}
	WriteJSON(w, Dropped{SessionsEnded: h.Peer.DropSessions()})
}

// WriteError answers with status and an APIError body.
func WriteError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(APIError{Code: code, Message: msg})
}

// WriteJSON answers 200 with v as JSON.
func WriteJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
