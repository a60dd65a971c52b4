package tdspeer

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	_ "modernc.org/sqlite" // the server's storage

	"github.com/vapsql/vap/internal/sqliteuri"
)

// Defaults for the zero values of Config.
const (
	DefaultDatabase      = "master"
	DefaultMaxResultRows = 10_000_000
	DefaultMaxSessions   = 64
)

// Config describes a peer. User and Password are required.
type Config struct {
	// User and Password are the one SQL Server login the peer accepts.
	User     string
	Password string
	// Database is the name of the peer's one database (default
	// DefaultDatabase); a login asking for another fails with 4060.
	Database string
	// TLS is the server side of TLS (a certificate). Nil: the peer makes a
	// CA and a certificate for localhost and 127.0.0.1 signed by it, which
	// CACertPEM and CAFile give to clients.
	TLS *tls.Config
	// MaxResultRows bounds the rows of one result set (default
	// DefaultMaxResultRows), against runaway queries; a larger one fails.
	// Rows stream: the peer holds at most the first 1,000 of a result,
	// which type the columns nothing else types.
	MaxResultRows int
	// AdminToken is the bearer token of the admin endpoints (AdminURL,
	// an observe.Handler); default: Password.
	AdminToken string
	// MaxSessions bounds open sessions (default DefaultMaxSessions); a
	// connection over it is refused with error 17809.
	MaxSessions int
	// FedAuth, when set, accepts Microsoft Entra ID (Azure AD) logins made
	// with the security token library: LOGIN7's FEDAUTH feature extension
	// carrying an access token, as go-mssqldb's NewSecurityTokenConnector
	// sends. FedAuth checks the token and returns the login name the
	// session runs as (SUSER_NAME()); ok false refuses the login with
	// 18456. Nil: federated logins are refused with 18456, as without
	// Entra ID.
	FedAuth func(token string) (login string, ok bool)
	// NoBulkLoad refuses INSERT BULK as a server without bulk load would
	// (error 40517, not supported), to test clients' fallbacks.
	NoBulkLoad bool
}

// Peer is a running local SQL Server. Its methods are safe for concurrent
// use.
type Peer struct {
	cfg Config
	ln  net.Listener
	db  *sql.DB
	dir string
	tls *tls.Config
	// wrappedTLS is tls capped at TLS 1.2 for the handshake inside
	// PRELOGIN: SQL Server offers TLS 1.3 only with TDS 8.0 (strict), and
	// clients such as FreeTDS never send a TLS 1.3 client Finished
	// wrapped in PRELOGIN, having nothing left to read.
	wrappedTLS *tls.Config
	caPEM      []byte

	admin   *http.Server
	adminLn net.Listener

	base context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu       sync.Mutex
	sessions map[int]*session
	conns    map[net.Conn]struct{} // every accepted connection, logged in or not
	nextSPID int
	closed   bool

	logins, failedLogins, attentions atomic.Int64

	closeOnce sync.Once
	closeErr  error
}

// Start starts a peer on 127.0.0.1 (a free port) with an empty SQLite
// database in a temporary directory. Close stops it and removes the data.
func Start(cfg Config) (*Peer, error) {
	if cfg.User == "" || cfg.Password == "" {
		return nil, errors.New("tdspeer: Config needs a User and a Password")
	}
	if cfg.AdminToken == "" {
		cfg.AdminToken = cfg.Password
	}
	if cfg.Database == "" {
		cfg.Database = DefaultDatabase
	}
	if cfg.MaxResultRows <= 0 {
		cfg.MaxResultRows = DefaultMaxResultRows
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	dir, err := os.MkdirTemp("", "tdspeer-")
	if err != nil {
		return nil, fmt.Errorf("tdspeer: %w", err)
	}
	p := &Peer{cfg: cfg, dir: dir, sessions: map[int]*session{}, conns: map[net.Conn]struct{}{}, nextSPID: 51}
	fail := func(err error) (*Peer, error) {
		if p.db != nil {
			_ = p.db.Close()
		}
		_ = os.RemoveAll(dir)
		return nil, err
	}
	if cfg.TLS != nil {
		p.tls = cfg.TLS.Clone()
	} else {
		ca, err := newAuthority()
		if err != nil {
			return fail(err)
		}
		if p.tls, err = ca.serverConfig("localhost", "127.0.0.1", "::1"); err != nil {
			return fail(err)
		}
		p.caPEM = ca.certPEM
		if err := os.WriteFile(filepath.Join(dir, "ca.pem"), ca.certPEM, 0o600); err != nil {
			return fail(fmt.Errorf("tdspeer: %w", err))
		}
	}
	// TLS 1.3 session tickets would go out after the handshake, outside
	// the PRELOGIN wrapping, where the driver does not expect them.
	p.tls.SessionTicketsDisabled = true
	if p.tls.MinVersion == 0 {
		p.tls.MinVersion = tls.VersionTLS12
	}
	p.wrappedTLS = p.tls.Clone()
	if p.wrappedTLS.MaxVersion == 0 || p.wrappedTLS.MaxVersion > tls.VersionTLS12 {
		p.wrappedTLS.MaxVersion = tls.VersionTLS12
	}
	if p.db, err = openDB(filepath.Join(dir, cfg.Database+".db")); err != nil {
		return fail(err)
	}
	if p.ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return fail(fmt.Errorf("tdspeer: %w", err))
	}
	p.base, p.stop = context.WithCancel(context.Background())
	if err := p.startAdmin(); err != nil {
		_ = p.ln.Close()
		return fail(err)
	}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

func openDB(path string) (*sql.DB, error) {
	params := url.Values{}
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "busy_timeout(10000)")
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_pragma", "case_sensitive_like(0)")
	db, err := sql.Open("sqlite", sqliteuri.Build(path, params))
	if err != nil {
		return nil, fmt.Errorf("tdspeer: %w", err)
	}
	if err := db.Ping(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("tdspeer: %w", err)
	}
	return db, nil
}

// Address is the peer's host:port on 127.0.0.1.
func (p *Peer) Address() string { return p.ln.Addr().String() }

// Host is the host name to give clients: "localhost", a name the
// generated certificate holds.
func (p *Peer) Host() string { return "localhost" }

// Port is the peer's TCP port.
func (p *Peer) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// Database is the name of the peer's database.
func (p *Peer) Database() string { return p.cfg.Database }

// CACertPEM is the PEM certificate of the CA that signed the peer's
// certificate, when the peer made its own (Config.TLS nil); else nil.
func (p *Peer) CACertPEM() []byte { return append([]byte(nil), p.caPEM...) }

// CAFile is the path of a file holding CACertPEM, for go-mssqldb's
// "certificate" parameter (vap's options.certificate); "" when Config.TLS
// was given.
func (p *Peer) CAFile() string {
	if p.caPEM == nil {
		return ""
	}
	return filepath.Join(p.dir, "ca.pem")
}

// DB is the SQLite database the server runs on, to seed or inspect data
// in SQLite's dialect. Do not close it; Close does.
func (p *Peer) DB() *sql.DB { return p.db }

// Stats counts what the peer has seen.
type Stats struct {
	Logins       int64 // successful logins
	FailedLogins int64 // logins refused (wrong user or password, …)
	Attentions   int64 // ATTENTION (cancel) requests
	Sessions     int   // sessions open now
}

// Stats returns the peer's counters.
func (p *Peer) Stats() Stats {
	p.mu.Lock()
	n := len(p.sessions)
	p.mu.Unlock()
	return Stats{Logins: p.logins.Load(), FailedLogins: p.failedLogins.Load(), Attentions: p.attentions.Load(), Sessions: n}
}

// RunningStatements returns the text of every statement a session is
// running now, what sys.dm_exec_requests shows a server's administrator.
func (p *Peer) RunningStatements() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	ids := make([]int, 0, len(p.sessions))
	for id := range p.sessions {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		if s := p.sessions[id].runningText(); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// DropSessions ends every open session, as a server restart (or KILL of
// each) does, and returns how many it ended. Their clients see the
// connection closed; the peer keeps serving new ones.
func (p *Peer) DropSessions() int {
	p.mu.Lock()
	list := make([]*session, 0, len(p.sessions))
	for _, s := range p.sessions {
		list = append(list, s)
	}
	p.mu.Unlock()
	for _, s := range list {
		s.kill()
	}
	return len(list)
}

// Close stops the peer: it closes the listener and every session, waits
// for them, and removes the database. It is safe to call more than once.
func (p *Peer) Close() error {
	p.closeOnce.Do(func() {
		p.mu.Lock()
		p.closed = true
		p.mu.Unlock()
		p.stop()
		err := p.ln.Close()
		_ = p.admin.Close()
		p.DropSessions()
		p.mu.Lock()
		for c := range p.conns {
			_ = c.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
		p.closeErr = errors.Join(err, p.db.Close(), os.RemoveAll(p.dir))
	})
	return p.closeErr
}

func (p *Peer) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			_ = c.Close()
			return
		}
		p.conns[c] = struct{}{}
		p.wg.Add(1)
		p.mu.Unlock()
		go func() {
			defer p.wg.Done()
			defer func() {
				p.mu.Lock()
				delete(p.conns, c)
				p.mu.Unlock()
			}()
			p.serveConn(c)
		}()
	}
}

// register adds s to the open sessions, giving it a SPID; false when the
// peer is closed or full.
func (p *Peer) register(s *session) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.sessions) >= p.cfg.MaxSessions {
		return false
	}
	s.spid = p.nextSPID
	p.nextSPID++
	p.sessions[s.spid] = s
	return true
}

func (p *Peer) unregister(s *session) {
	p.mu.Lock()
	delete(p.sessions, s.spid)
	p.mu.Unlock()
}

// sessionsTable is the SQLite subquery that stands for sys.dm_exec_sessions:
// one row per open session with session_id, login_name, status,
// transaction_isolation_level, program_name and database_id.
func (p *Peer) sessionsTable() string {
	p.mu.Lock()
	ids := make([]int, 0, len(p.sessions))
	for id := range p.sessions {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	var b strings.Builder
	for i, id := range ids {
		s := p.sessions[id]
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		status := "sleeping"
		if s.runningText() != "" {
			status = "running"
		}
		fmt.Fprintf(&b, "SELECT %d AS session_id, %s AS login_name, '%s' AS status, %d AS transaction_isolation_level, %s AS program_name, 1 AS database_id, 1 AS is_user_process",
			id, quoteString(s.user), status, s.isolation.Load(), quoteString(s.app))
	}
	p.mu.Unlock()
	if b.Len() == 0 {
		return "SELECT 0 AS session_id, '' AS login_name, '' AS status, 0 AS transaction_isolation_level, '' AS program_name, 0 AS database_id, 0 AS is_user_process WHERE 0"
	}
	return b.String()
}
