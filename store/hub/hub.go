package hub

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/vapsql/vap/internal/hubwire"
	"github.com/vapsql/vap/store/backend"
)

// EnvToken is the environment variable holding the hub token when the
// store URL does not give one.
const EnvToken = "VAP_HUB_TOKEN"

func init() {
	backend.Register(func(ctx context.Context, u *url.URL) (backend.Backend, error) {
		return Open(u, os.LookupEnv)
	}, "vap+http", "vap+https")
}

// ErrReadOnly is the error of every write: the hub serves reads only.
var ErrReadOnly = errors.New("store/hub: the hub serves reads only: create, update and delete connections against the store itself (VAP_STORE=postgres://…) or through vap serve's admin API")

// Backend reads a store through a hub. It is safe for concurrent use.
type Backend struct {
	base    string // scheme://host[/path], no userinfo, no query
	token   string
	client  *http.Client
	timeout time.Duration

	mu       sync.Mutex
	failures int // watch attempts that failed in a row
}

var (
	_ backend.Backend = (*Backend)(nil)
	_ backend.Watcher = (*Backend)(nil)
)

// Open returns the backend for a vap+http(s) store URL. It makes no
// request. lookupEnv reads VAP_HUB_TOKEN (os.LookupEnv). Errors never
// repeat the URL or the token.
func Open(u *url.URL, lookupEnv func(string) (string, bool)) (*Backend, error) {
	scheme := strings.TrimPrefix(strings.ToLower(u.Scheme), "vap+")
	if scheme != "http" && scheme != "https" || u.Host == "" {
		return nil, errors.New("store/hub: the store URL must be vap+http://host:port or vap+https://host:port")
	}
	q := u.Query()
	var token string
	if p, ok := u.User.Password(); ok && p != "" {
		token = p
	} else if f := q.Get("token_file"); f != "" {
		t, err := readTokenFile(f)
		if err != nil {
			return nil, err
		}
		token = t
	} else if t, ok := lookupEnv(EnvToken); ok && strings.TrimSpace(t) != "" {
		token = strings.TrimSpace(t)
	}
	if token == "" {
		return nil, fmt.Errorf("store/hub: no hub token: set %s, or give token_file=FILE in the store URL", EnvToken)
	}
	b := &Backend{token: token, timeout: 10 * time.Second}
	if t := q.Get("timeout"); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d < 100*time.Millisecond || d > 10*time.Minute {
			return nil, fmt.Errorf("store/hub: timeout=%q in the store URL: want a duration from 100ms to 10m, such as 10s", t)
		}
		b.timeout = d
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 4
	tr.IdleConnTimeout = 30 * time.Second
	if f := q.Get("ca_file"); f != "" {
		pem, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("store/hub: ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("store/hub: ca_file %s holds no PEM certificate", f)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	for k := range q {
		switch k {
		case "token_file", "timeout", "ca_file":
		default:
			return nil, fmt.Errorf("store/hub: unknown store URL parameter %q (known: token_file, timeout, ca_file)", k)
		}
	}
	b.client = &http.Client{Transport: tr}
	b.base = (&url.URL{Scheme: scheme, Host: u.Host, Path: strings.TrimSuffix(u.Path, "/")}).String()
	return b, nil
}

// readTokenFile reads a token file that only its owner can read.
func readTokenFile(f string) (string, error) {
	fi, err := os.Stat(f)
	if err != nil {
		return "", fmt.Errorf("store/hub: token_file: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("store/hub: token file %s has mode %04o: it must not be readable by group or others; run chmod 600 %s", f, perm, f)
	}
	raw, err := os.ReadFile(f)
	if err != nil {
		return "", fmt.Errorf("store/hub: token_file: %w", err)
	}
	t := strings.TrimSpace(string(raw))
	if t == "" {
		return "", fmt.Errorf("store/hub: token file %s is empty", f)
	}
	return t, nil
}

// request sends a GET to path with query q and returns the response,
// whose body the caller closes, for a 200; any other answer is an error.
func (b *Backend) request(ctx context.Context, op, path string, q url.Values) (*http.Response, error) {
	u := b.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("store/hub: %s: %w", op, err)
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := b.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is the hub's and the name: no need to repeat it
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("store/hub: %s: %w", op, ctx.Err())
		}
		return nil, backend.Unavailable(fmt.Errorf("store/hub: %s: hub %s: %w", op, b.base, err))
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	var e hubwire.Error
	json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&e)
	return nil, b.statusError(op, resp.StatusCode, e)
}

func (b *Backend) statusError(op string, code int, e hubwire.Error) error {
	msg := e.Error
	if msg == "" {
		msg = http.StatusText(code)
	}
	err := fmt.Errorf("store/hub: %s: hub %s answered %d: %s", op, b.base, code, strings.ToValidUTF8(msg, "?"))
	switch {
	case e.Code == hubwire.CodeNotFound:
		return fmt.Errorf("%w: %w", backend.ErrNotFound, err)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return fmt.Errorf("store/hub: %s: hub %s refused the token (%d): check %s or the store URL's token", op, b.base, code, EnvToken)
	case e.Code == hubwire.CodeNoWatch:
		return backend.ErrWatchUnsupported
	case code == http.StatusBadGateway || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout || code == http.StatusTooManyRequests:
		return backend.Unavailable(err)
	}
	return err
}

// withTimeout bounds ctx by the backend's timeout.
func (b *Backend) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, b.timeout)
}

func (b *Backend) getJSON(ctx context.Context, op, path string, q url.Values, v any) error {
	ctx, cancel := b.withTimeout(ctx)
	defer cancel()
	resp, err := b.request(ctx, op, path, q)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("store/hub: %s: %w", op, ctx.Err())
		}
		return backend.Unavailable(fmt.Errorf("store/hub: %s: reading the hub's answer: %w", op, err))
	}
	return nil
}

// Get implements backend.Backend: the sealed record, as stored.
func (b *Backend) Get(ctx context.Context, name string) (*backend.Record, error) {
	var r hubwire.Record
	if err := b.getJSON(ctx, "get", hubwire.PathGet, url.Values{"name": {name}}, &r); err != nil {
		return nil, b.named(name, err)
	}
	if r.Name != name {
		return nil, fmt.Errorf("store/hub: get: the hub answered for another name")
	}
	return r.Backend(), nil
}

// Version implements backend.Backend.
func (b *Backend) Version(ctx context.Context, name string) (int64, error) {
	var v hubwire.Version
	if err := b.getJSON(ctx, "version", hubwire.PathVersion, url.Values{"name": {name}}, &v); err != nil {
		return 0, b.named(name, err)
	}
	return v.Version, nil
}

// named gives a not-found error the name it is about.
func (b *Backend) named(name string, err error) error {
	if errors.Is(err, backend.ErrNotFound) {
		return backend.NotFound(name)
	}
	return err
}

// List implements backend.Backend.
func (b *Backend) List(ctx context.Context) ([]*backend.Record, error) {
	var rs []*hubwire.Record
	if err := b.getJSON(ctx, "list", hubwire.PathList, nil, &rs); err != nil {
		return nil, err
	}
	out := make([]*backend.Record, len(rs))
	for i, r := range rs {
		out[i] = r.Backend()
	}
	return out, nil
}

// Insert implements backend.Backend: ErrReadOnly.
func (b *Backend) Insert(context.Context, *backend.Record) error { return ErrReadOnly }

// Update implements backend.Backend: ErrReadOnly.
func (b *Backend) Update(context.Context, *backend.Record) error { return ErrReadOnly }

// Delete implements backend.Backend: ErrReadOnly.
func (b *Backend) Delete(context.Context, string) error { return ErrReadOnly }

// ReplaceAll implements backend.Backend: ErrReadOnly.
func (b *Backend) ReplaceAll(context.Context, func(*backend.Record) (*backend.Record, error)) error {
	return ErrReadOnly
}

// Close implements backend.Backend: it closes idle connections to the hub.
func (b *Backend) Close() error {
	b.client.CloseIdleConnections()
	return nil
}
