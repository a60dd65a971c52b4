package databricks

import (
	"container/list"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/databricks/credentials"
)

// Viewer pool limits.
const (
	// DefaultMaxViewers bounds the viewers a Viewers pool holds a
	// connection pool for at once; the least recently used goes first.
	DefaultMaxViewers = 64
	// DefaultViewerIdle is how long a viewer's connections and token are
	// kept after the viewer's last query.
	DefaultViewerIdle = 10 * time.Minute
)

// ErrNoViewer is returned (wrapped) when a request carries no user session
// token.
var ErrNoViewer = errors.New("databricks: the request carries no " + credentials.UserSessionHeader + " header")

// Viewers runs queries on one named Databricks connection with each
// viewer's own Databricks token: Posit Connect's viewer strategy
// (PositCredentialsStrategy). On Connect (CONNECT_SERVER and
// CONNECT_API_KEY set) each viewer's user session token, from the
// Posit-Connect-User-Session-Token header of that viewer's request, is
// exchanged for that viewer's token (subject_token_type
// urn:posit:connect:user-session-token), and the viewer gets a *sql.DB of
// its own, with its own token cache: no connection, session or token is
// ever shared between viewers. At most MaxViewers viewers are held (the
// least recently used is closed first) and a viewer idle for Idle is
// closed. Off Connect every request uses the connection's own local
// credentials (oauth-m2m or pat), as PositCredentialsStrategy falls back
// to its local strategy. Its methods are safe for concurrent use.
type Viewers struct {
	p      registry.Params
	c      *config
	s      *settings
	plat   *credentials.Platform
	max    int
	idle   time.Duration
	local  *sql.DB // off Connect
	closed bool

	mu    sync.Mutex
	order *list.List // of *viewer, most recently used first
	byKey map[[32]byte]*list.Element
}

type viewer struct {
	key  [32]byte
	db   *sql.DB
	last time.Time
}

// ViewerLimits bounds a Viewers pool; zero fields take the defaults.
type ViewerLimits struct {
	MaxViewers int           // default DefaultMaxViewers
	Idle       time.Duration // default DefaultViewerIdle
}

// NewViewers returns the viewer pool of the stored connection p (a
// databricks connection), with opts as for New (the environment, the HTTP
// client for the exchange, the clock).
func NewViewers(p registry.Params, limits ViewerLimits, opts ...Option) (*Viewers, error) {
	s := &settings{lookupEnv: os.LookupEnv, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	c, err := parse(p)
	if err != nil {
		return nil, err
	}
	v := &Viewers{p: p, c: c, s: s, plat: credentials.DetectPlatform(s.lookupEnv),
		max: limits.MaxViewers, idle: limits.Idle, order: list.New(), byKey: make(map[[32]byte]*list.Element)}
	if v.max <= 0 {
		v.max = DefaultMaxViewers
	}
	if v.idle <= 0 {
		v.idle = DefaultViewerIdle
	}
	if !v.onConnect() {
		src, secrets, err := localSource(c, s)
		if err != nil {
			return nil, fmt.Errorf("databricks: connection %q: %w", p.Name(), err)
		}
		conn, err := connectorWith(p, c, s, src, secrets)
		if err != nil {
			return nil, err
		}
		v.local = sql.OpenDB(conn)
	}
	return v, nil
}

// onConnect reports whether the viewer exchange is possible: it needs the
// Connect server and API key (not the content session token).
func (v *Viewers) onConnect() bool { return v.plat.Server != "" && v.plat.APIKey != "" }

// localSource is the connection's own credentials, for off Connect.
func localSource(c *config, s *settings) (credentials.Source, []string, error) {
	secrets := []string{c.accessToken, c.clientSecret}
	switch {
	case c.clientID != "" && c.clientSecret != "":
		return credentials.ClientCredentials(c.tokenEndpoint, c.clientID, c.clientSecret, s.client), secrets, nil
	case c.accessToken != "":
		return credentials.Static(c.accessToken), secrets, nil
	}
	return nil, nil, &credentials.Error{Step: credentials.StepPlatform, Err: errors.New(
		"not running on Posit Connect (CONNECT_SERVER and CONNECT_API_KEY unset) and the connection has no local credentials (client_id and client_secret, or access_token)")}
}

// Request returns the *sql.DB of the viewer whose request r is (its
// Posit-Connect-User-Session-Token header). Off Connect it returns the
// connection's shared local pool whatever the header.
func (v *Viewers) Request(r *http.Request) (*sql.DB, error) {
	return v.DB(strings.TrimSpace(r.Header.Get(credentials.UserSessionHeader)))
}

// DB returns the *sql.DB of the viewer with this user session token,
// opening it on first use. The token is exchanged when the pool first
// needs a Databricks token and again when that one expires; a refused
// exchange fails that viewer's queries only.
func (v *Viewers) DB(userSessionToken string) (*sql.DB, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return nil, errors.New("databricks: the viewer pool is closed")
	}
	if v.local != nil {
		return v.local, nil
	}
	if userSessionToken == "" {
		return nil, fmt.Errorf("databricks: connection %q: %w", v.p.Name(), ErrNoViewer)
	}
	now := v.s.now()
	v.expireLocked(now)
	key := sha256.Sum256([]byte(userSessionToken))
	if e, ok := v.byKey[key]; ok {
		vw := e.Value.(*viewer)
		vw.last = now
		v.order.MoveToFront(e)
		return vw.db, nil
	}
	src := credentials.Viewer(v.plat.Server, v.plat.APIKey, userSessionToken, v.s.client)
	secrets := append([]string{v.c.accessToken, v.c.clientSecret, userSessionToken}, v.plat.Secrets()...)
	conn, err := connectorWith(v.p, v.c, v.s, src, secrets)
	if err != nil {
		return nil, err
	}
	vw := &viewer{key: key, db: sql.OpenDB(conn), last: now}
	v.byKey[key] = v.order.PushFront(vw)
	for v.order.Len() > v.max {
		v.removeLocked(v.order.Back())
	}
	return vw.db, nil
}

// expireLocked closes the viewers idle since before now - idle.
func (v *Viewers) expireLocked(now time.Time) {
	for e := v.order.Back(); e != nil; e = v.order.Back() {
		if now.Sub(e.Value.(*viewer).last) < v.idle {
			return
		}
		v.removeLocked(e)
	}
}

func (v *Viewers) removeLocked(e *list.Element) {
	vw := v.order.Remove(e).(*viewer)
	delete(v.byKey, vw.key)
	go vw.db.Close() // waits for the viewer's queries in flight
}

// Len reports how many viewers have a pool open now.
func (v *Viewers) Len() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.expireLocked(v.s.now())
	return v.order.Len()
}

// Close closes every viewer's pool (and the local one).
func (v *Viewers) Close() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.closed = true
	var errs []error
	for e := v.order.Front(); e != nil; e = e.Next() {
		errs = append(errs, e.Value.(*viewer).db.Close())
	}
	v.order.Init()
	clear(v.byKey)
	if v.local != nil {
		errs = append(errs, v.local.Close())
	}
	return errors.Join(errs...)
}
