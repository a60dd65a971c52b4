package hubserver

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vapsql/vap/internal/hubwire"
	"github.com/vapsql/vap/store/backend"
)

// Config configures New.
type Config struct {
	// Backend is the store served. Required. The hub reads it only, and
	// does not close it.
	Backend backend.Backend
	// Token is the bearer token every request must present. Required.
	Token string
	// Logger receives the watch's state changes and store errors; nil
	// logs nothing. Never a token or a secret.
	Logger *slog.Logger
	// StoreTimeout bounds each read of the store (default 10 s).
	StoreTimeout time.Duration
	// Heartbeat is the longest silence on a watch stream (default 5 s).
	Heartbeat time.Duration
}

// Hub is the hub's http.Handler, for the paths under hubwire.Prefix.
type Hub struct {
	b       backend.Backend
	token   [sha256.Size]byte
	log     *slog.Logger
	storeTO time.Duration
	beat    time.Duration
	cache   cache
	subs    subscribers
	cancel  context.CancelFunc
	done    chan struct{}
	closeMu sync.Once
}

// New returns the hub for cfg and starts its watch on the store in the
// background. Close stops it.
func New(cfg Config) (*Hub, error) {
	if cfg.Backend == nil {
		return nil, errors.New("hubserver: Config.Backend is nil")
	}
	if cfg.Token == "" {
		return nil, errors.New("hubserver: a hub token is required")
	}
	h := &Hub{b: cfg.Backend, token: sha256.Sum256([]byte(cfg.Token)), log: cfg.Logger, storeTO: cfg.StoreTimeout, beat: cfg.Heartbeat}
	if h.log == nil {
		h.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if h.storeTO <= 0 {
		h.storeTO = 10 * time.Second
	}
	if h.beat <= 0 {
		h.beat = 5 * time.Second
	}
	h.cache.init()
	h.subs.init()
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan struct{})
	go h.watch(ctx)
	return h, nil
}

// Close stops the watch and ends every stream. It does not close the
// backend.
func (h *Hub) Close() error {
	h.closeMu.Do(func() {
		h.cancel()
		<-h.done
		h.subs.endAll()
	})
	return nil
}

// Subscribers returns the number of watch streams open now.
func (h *Hub) Subscribers() int { return h.subs.count() }

// ServeHTTP checks the token and routes.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !authorized(r, h.token) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="vap hub"`)
		writeError(w, http.StatusUnauthorized, hubwire.CodeAuth, "missing or wrong hub token")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		writeError(w, http.StatusMethodNotAllowed, hubwire.CodeBadRequest, "the hub answers GET only")
		return
	}
	switch r.URL.Path {
	case hubwire.PathGet:
		h.get(w, r)
	case hubwire.PathVersion:
		h.version(w, r)
	case hubwire.PathList:
		h.list(w, r)
	case hubwire.PathWatch:
		h.stream(w, r)
	default:
		writeError(w, http.StatusNotFound, hubwire.CodeBadRequest, "no such hub endpoint; see "+hubwire.Prefix+"{get,version,list,watch}")
	}
}

// authorized reports whether r carries "Authorization: Bearer <token>",
// compared in constant time over hashes.
func authorized(r *http.Request, want [sha256.Size]byte) bool {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

func nameParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	q := r.URL.Query()
	if !q.Has("name") || q.Get("name") == "" {
		writeError(w, http.StatusBadRequest, hubwire.CodeBadRequest, "the name parameter is required")
		return "", false
	}
	return q.Get("name"), true
}

func (h *Hub) get(w http.ResponseWriter, r *http.Request) {
	name, ok := nameParam(w, r)
	if !ok {
		return
	}
	rec, err := h.lookup(r.Context(), name)
	if err != nil {
		h.fail(w, "get", err)
		return
	}
	writeJSON(w, http.StatusOK, hubwire.FromBackend(rec))
}

func (h *Hub) version(w http.ResponseWriter, r *http.Request) {
	name, ok := nameParam(w, r)
	if !ok {
		return
	}
	rec, err := h.lookup(r.Context(), name)
	if err != nil {
		h.fail(w, "version", err)
		return
	}
	writeJSON(w, http.StatusOK, hubwire.Version{Version: rec.Version})
}

func (h *Hub) list(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.storeTO)
	defer cancel()
	rs, err := h.b.List(ctx)
	if err != nil {
		h.fail(w, "list", err)
		return
	}
	out := make([]*hubwire.Record, len(rs))
	for i, rec := range rs {
		out[i] = hubwire.FromBackend(rec)
	}
	writeJSON(w, http.StatusOK, out)
}

// fail answers a store error. The client sees the kind of failure only;
// the log gets the store's (already scrubbed) message.
func (h *Hub) fail(w http.ResponseWriter, op string, err error) {
	switch {
	case errors.Is(err, backend.ErrNotFound):
		writeError(w, http.StatusNotFound, hubwire.CodeNotFound, "connection not found")
	case errors.Is(err, backend.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		h.log.Warn("store unavailable", "op", op, "err", err)
		writeError(w, http.StatusServiceUnavailable, hubwire.CodeUnavailable, "the hub cannot reach the store")
	case errors.Is(err, context.Canceled):
		// the client went away
	default:
		h.log.Error("store error", "op", op, "err", err)
		writeError(w, http.StatusInternalServerError, hubwire.CodeInternal, "the hub's store failed; see the hub's log")
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, kind, msg string) {
	writeJSON(w, code, hubwire.Error{Error: "hub: " + msg, Code: kind})
}
