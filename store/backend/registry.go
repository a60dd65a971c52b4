package backend

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// OpenFunc opens a backend for a store URL.
type OpenFunc func(ctx context.Context, u *url.URL) (Backend, error)

// Registry maps URL schemes to the backends that open them. It is safe for
// concurrent use. The zero value is empty and ready.
type Registry struct {
	mu    sync.RWMutex
	opens map[string]OpenFunc
}

// Default is the registry the store opens URLs with. Backend packages
// register into it from init.
var Default = &Registry{}

// Register makes open the backend for URLs with one of the schemes
// (case-insensitive). Like sql.Register it panics when open is nil, no
// scheme or an empty one is given, or a scheme is already taken; then
// nothing is registered.
func (r *Registry) Register(open OpenFunc, schemes ...string) {
	if open == nil || len(schemes) == 0 {
		panic("store/backend: Register of a nil OpenFunc or without a scheme")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.opens == nil {
		r.opens = map[string]OpenFunc{}
	}
	for i, s := range schemes {
		k := strings.ToLower(s)
		if k == "" {
			panic("store/backend: Register with an empty scheme")
		}
		if _, dup := r.opens[k]; dup || slices.Contains(schemes[:i], s) {
			panic("store/backend: Register called twice for scheme " + s)
		}
	}
	for _, s := range schemes {
		r.opens[strings.ToLower(s)] = open
	}
}

// Lookup returns the OpenFunc registered for scheme (case-insensitive), or
// nil.
func (r *Registry) Lookup(scheme string) OpenFunc {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.opens[strings.ToLower(scheme)]
}

// Schemes returns the registered schemes, sorted.
func (r *Registry) Schemes() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.opens))
	for s := range r.opens {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// errBadURL is the error for a store URL that does not parse. It never
// repeats the URL, which may carry a password.
var errBadURL = errors.New("store: the store URL (VAP_STORE) is not a valid URL")

// errKeywordValue is the error for a keyword/value connection string given
// as the store URL. It never repeats the string, which may carry a password.
var errKeywordValue = errors.New("store: the store URL (VAP_STORE) is a keyword/value connection string (host=… password=…); give a URL such as postgres://user@host/db, or a SQLite file path")

// ParseURL parses a store URL. A bare path (":memory:" too, or a Windows
// path with a drive letter) is an embedded SQLite store file: sqlite with
// that path. A keyword/value connection string ("host=db user=ben …") is
// refused, not taken for a file name. Errors never repeat the URL, which
// may carry a password.
func ParseURL(rawURL string) (*url.URL, error) {
	if IsKeywordValue(rawURL) {
		return nil, errKeywordValue
	}
	u, err := url.Parse(rawURL)
	if err != nil && strings.Contains(rawURL, "://") {
		return nil, errBadURL
	}
	if err != nil || u.Scheme == "" || len(u.Scheme) == 1 {
		return &url.URL{Scheme: "sqlite", Path: rawURL}, nil
	}
	return u, nil
}

// IsLocalURL reports whether rawURL names the embedded SQLite store (a bare
// path, ":memory:", sqlite:// or file://) rather than a shared server.
func IsLocalURL(rawURL string) bool {
	u, err := ParseURL(rawURL)
	return err == nil && (u.Scheme == "sqlite" || u.Scheme == "file")
}

// Open opens the backend registered for rawURL's scheme (see ParseURL).
// Errors never repeat the URL, which may carry a password.
func (r *Registry) Open(ctx context.Context, rawURL string) (Backend, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	open := r.Lookup(u.Scheme)
	if open == nil {
		hint := "import the package that registers it"
		if pkg, shipped := shippedPackages[strings.ToLower(u.Scheme)]; shipped {
			hint = fmt.Sprintf("add import _ %q", pkg)
		}
		return nil, fmt.Errorf("store: no backend for scheme %q is linked into this program (linked: %s); %s", u.Scheme, strings.Join(r.Schemes(), ", "), hint)
	}
	return open(ctx, u)
}

// shippedPackages names the package that registers each scheme vap ships,
// for the error of a program that did not import it.
var shippedPackages = map[string]string{
	"sqlite":     "github.com/vapsql/vap/store/sqlite",
	"file":       "github.com/vapsql/vap/store/sqlite",
	"postgres":   "github.com/vapsql/vap/store/postgres",
	"postgresql": "github.com/vapsql/vap/store/postgres",
	"vap+http":   "github.com/vapsql/vap/store/hub",
	"vap+https":  "github.com/vapsql/vap/store/hub",
}

// Register registers open in Default (see Registry.Register).
func Register(open OpenFunc, schemes ...string) { Default.Register(open, schemes...) }

// Open opens rawURL with Default (see Registry.Open).
func Open(ctx context.Context, rawURL string) (Backend, error) { return Default.Open(ctx, rawURL) }
