package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vapsql/vap/store"
)

// MaxBody is the largest request body the endpoint reads: 1 MiB.
const MaxBody = 1 << 20

// Prefix is the path every endpoint lives under, as on the platform.
const Prefix = "/controller/connection/"

// Config configures New.
type Config struct {
	// Store is the connection store served. Required.
	Store *store.Store
	// Token is the bearer token every request must present. Required.
	Token string
	// Logger receives one line per request: method, path, status,
	// duration, connection name. Never a body, a header or a secret. Nil
	// logs nothing.
	Logger *slog.Logger
	// TestTimeout bounds the test endpoint's connection attempt, resolving
	// the name included (default 15 s).
	TestTimeout time.Duration
	// StoreTimeout bounds every other request's work on the store (default
	// 15 s): a store that stops answering makes a request fail with 504,
	// never hang.
	StoreTimeout time.Duration
}

// Server is the REST endpoint. It is an http.Handler.
type Server struct {
	st      *store.Store
	token   [sha256.Size]byte
	log     *slog.Logger
	timeout time.Duration
	storeTO time.Duration
	routes  map[string]map[string]http.HandlerFunc // path after Prefix → method → handler
}

// New returns the endpoint for cfg. It refuses an empty token.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: Config.Store is nil")
	}
	if cfg.Token == "" {
		return nil, errors.New("server: an API token is required (VAP_API_TOKEN or a token file)")
	}
	s := &Server{st: cfg.Store, token: sha256.Sum256([]byte(cfg.Token)), log: cfg.Logger, timeout: cfg.TestTimeout}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.timeout <= 0 {
		s.timeout = 15 * time.Second
	}
	s.storeTO = cfg.StoreTimeout
	if s.storeTO <= 0 {
		s.storeTO = 15 * time.Second
	}
	s.routes = map[string]map[string]http.HandlerFunc{
		"create/": {"POST": s.create},
		"list/":   {"GET": s.list, "POST": s.list},
		"show/":   {"GET": s.show, "POST": s.show},
		"update/": {"POST": s.update},
		"delete/": {"POST": s.delete},
		"test/":   {"POST": s.test},
	}
	return s, nil
}

// request carries what the log line of one request reports.
type request struct {
	name string
}

// ServeHTTP checks the token, limits the body, routes, and logs one line.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusWriter{ResponseWriter: w}
	info := &request{}
	defer func() {
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", rec.code(), "duration", time.Since(start).Round(time.Microsecond)}
		if info.name != "" {
			attrs = append(attrs, "connection", info.name)
		}
		s.log.InfoContext(r.Context(), "request", attrs...)
	}()
	if !authorized(r, s.token) {
		rec.Header().Set("WWW-Authenticate", `Bearer realm="vap"`)
		writeError(rec, errorf(http.StatusUnauthorized, "missing or wrong bearer token"))
		return
	}
	r.Body = http.MaxBytesReader(rec, r.Body, MaxBody)
	methods, ok := s.routes[strings.TrimPrefix(r.URL.Path, Prefix)]
	if !ok || !strings.HasPrefix(r.URL.Path, Prefix) {
		writeError(rec, errorf(http.StatusNotFound, "no such endpoint; see "+Prefix+"{create,list,show,update,delete,test}/"))
		return
	}
	h, ok := methods[r.Method]
	if !ok {
		rec.Header().Set("Allow", strings.Join(slices.Sorted(maps.Keys(methods)), ", "))
		writeError(rec, errorf(http.StatusMethodNotAllowed, "method "+r.Method+" not allowed here"))
		return
	}
	limit := s.storeTO
	if strings.TrimPrefix(r.URL.Path, Prefix) == "test/" {
		limit = s.timeout
	}
	ctx, cancel := context.WithTimeout(withRequest(r.Context(), info), limit)
	defer cancel()
	h.ServeHTTP(rec, r.WithContext(ctx))
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
