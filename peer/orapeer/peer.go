package orapeer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the database's storage

	"github.com/vapsql/vap/internal/sqliteuri"
	"github.com/vapsql/vap/peer/observe"
)

// DefaultService is the service name of a zero Config.
const DefaultService = "ORAPEER"

// Config configures a Peer.
type Config struct {
	// User and Password are the one account the peer accepts (user names
	// compare case-insensitively, as Oracle's unquoted names do). Both are
	// required.
	User     string
	Password string
	// Service is the service name (or SID) clients must ask for; empty
	// means DefaultService. Others are refused with ORA-12514.
	Service string
	// Addr is the TCP address to listen on; empty means 127.0.0.1:0.
	Addr string
	// AdminToken, when set, makes the peer also serve its Observable
	// (RunningStatements, DropSessions) over HTTP on 127.0.0.1 for
	// observe.Remote, to requests bearing this token (see AdminURL).
	AdminToken string
	// Logf, if set, receives diagnostics (never a password or a key).
	Logf func(format string, args ...any)
}

// Peer is a running local Oracle peer.
type Peer struct {
	cfg Config
	ln  net.Listener
	db  *sql.DB
	dir string
	v   *verifier

	ctx    context.Context
	stop   context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[*session]struct{}
	nextID int

	seqMu sync.Mutex
	seqs  map[string]*sequenceState

	admin    *http.Server
	adminLn  net.Listener
	adminErr chan error

	trace bool // ORAPEER_TRACE=1: log every TTC payload (tests and debugging only)

	closeOnce sync.Once
	closeErr  error
}

// Start starts a peer listening on cfg.Addr (127.0.0.1, a free port, by
// default).
func Start(cfg Config) (*Peer, error) {
	if cfg.User == "" || cfg.Password == "" {
		return nil, errors.New("orapeer: Config.User and Config.Password are required")
	}
	if cfg.Service == "" {
		cfg.Service = DefaultService
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	v, err := newVerifier(cfg.Password)
	if err != nil {
		return nil, fmt.Errorf("orapeer: %w", err)
	}
	dir, err := os.MkdirTemp("", "orapeer-")
	if err != nil {
		return nil, fmt.Errorf("orapeer: %w", err)
	}
	db, err := openDB(filepath.Join(dir, "oracle.db"))
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		_ = db.Close()
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("orapeer: %w", err)
	}
	p := &Peer{cfg: cfg, ln: ln, db: db, dir: dir, v: v, conns: map[*session]struct{}{}, trace: os.Getenv("ORAPEER_TRACE") == "1"}
	p.ctx, p.stop = context.WithCancel(context.Background())
	if cfg.AdminToken != "" {
		if err := p.startAdmin(); err != nil {
			_ = ln.Close()
			_ = db.Close()
			_ = os.RemoveAll(dir)
			return nil, err
		}
	}
	p.wg.Add(1)
	go p.acceptLoop()
	return p, nil
}

func openDB(path string) (*sql.DB, error) {
	params := url.Values{}
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "busy_timeout(10000)")
	params.Add("_pragma", "foreign_keys(1)")
	db, err := sql.Open("sqlite", sqliteuri.Build(path, params))
	if err != nil {
		return nil, fmt.Errorf("orapeer: %w", err)
	}
	db.SetMaxOpenConns(64)
	if err := db.Ping(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("orapeer: %w", err)
	}
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS dual (dummy VARCHAR2(1));
		INSERT INTO dual SELECT 'X' WHERE NOT EXISTS (SELECT 1 FROM dual);
		CREATE TABLE IF NOT EXISTS "V$SESSION" (SID NUMBER, "SERIAL#" NUMBER, USERNAME VARCHAR2(128), STATUS VARCHAR2(8), PROGRAM VARCHAR2(64));
		DELETE FROM "V$SESSION";
		CREATE TABLE IF NOT EXISTS nls_session_parameters (parameter VARCHAR2(30), value VARCHAR2(64));
		DELETE FROM nls_session_parameters;
		INSERT INTO nls_session_parameters VALUES
			('NLS_LANGUAGE', 'AMERICAN'), ('NLS_TERRITORY', 'AMERICA'), ('NLS_CURRENCY', '$'),
			('NLS_ISO_CURRENCY', 'AMERICA'), ('NLS_NUMERIC_CHARACTERS', '.,'), ('NLS_CALENDAR', 'GREGORIAN'),
			('NLS_DATE_FORMAT', 'DD-MON-RR'), ('NLS_DATE_LANGUAGE', 'AMERICAN'), ('NLS_SORT', 'BINARY'),
			('NLS_TIME_FORMAT', 'HH.MI.SSXFF AM'), ('NLS_TIMESTAMP_FORMAT', 'DD-MON-RR HH.MI.SSXFF AM'),
			('NLS_TIME_TZ_FORMAT', 'HH.MI.SSXFF AM TZR'), ('NLS_TIMESTAMP_TZ_FORMAT', 'DD-MON-RR HH.MI.SSXFF AM TZR'),
			('NLS_DUAL_CURRENCY', '$'), ('NLS_COMP', 'BINARY'), ('NLS_LENGTH_SEMANTICS', 'BYTE'),
			('NLS_NCHAR_CONV_EXCP', 'FALSE')`); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("orapeer: %w", err)
	}
	return db, nil
}

func (p *Peer) acceptLoop() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.ctx.Err() != nil {
			p.mu.Unlock()
			_ = c.Close()
			return
		}
		p.nextID++
		s := &session{p: p, conn: c, id: p.nextID, ser: 1000 + p.nextID, cursors: map[int]*cursor{}}
		p.conns[s] = struct{}{}
		p.mu.Unlock()
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			s.serve(p.ctx)
			p.mu.Lock()
			delete(p.conns, s)
			p.mu.Unlock()
		}()
	}
}

func (p *Peer) logf(format string, args ...any) {
	if p.cfg.Logf != nil {
		p.cfg.Logf(format, args...)
	} else if os.Getenv("ORAPEER_DEBUG") != "" {
		log.Printf("orapeer: "+format, args...)
	}
}

// serviceOK reports whether a connect descriptor asks for the peer's service.
func (p *Peer) serviceOK(desc string) bool {
	for _, m := range serviceRe.FindAllStringSubmatch(desc, -1) {
		if strings.EqualFold(strings.TrimSpace(m[2]), p.cfg.Service) {
			return true
		}
	}
	return false
}

func (p *Peer) userOK(user string) bool { return strings.EqualFold(user, p.cfg.User) }

// verifierFor returns the user's verifier, or a fresh one (that no password
// matches) for an unknown user, so phase 1 does not tell users apart.
func (p *Peer) verifierFor(user string) *verifier {
	if p.userOK(user) {
		return p.v
	}
	v, err := newVerifier(string(p.v.salt) + user)
	if err != nil {
		return p.v
	}
	v.speedyKey = make([]byte, 64) // no password derives to all zeros
	return v
}

// Address is host:port the peer listens on.
func (p *Peer) Address() string { return p.ln.Addr().String() }

// Host is the listening host.
func (p *Peer) Host() string { return p.ln.Addr().(*net.TCPAddr).IP.String() }

// Port is the listening TCP port.
func (p *Peer) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// Service is the service name clients connect to.
func (p *Peer) Service() string { return p.cfg.Service }

// URL is a go-ora connection URL for the peer's account. It holds the
// password: never print it.
func (p *Peer) URL() string {
	return (&url.URL{Scheme: "oracle", User: url.UserPassword(p.cfg.User, p.cfg.Password),
		Host: p.Address(), Path: "/" + p.cfg.Service}).String()
}

// DB is the SQLite database statements run on, to seed or inspect data in
// SQLite's dialect. Do not close it; Close does.
func (p *Peer) DB() *sql.DB { return p.db }

// RunningStatements returns the SQL text of the statements executing now,
// sorted.
func (p *Peer) RunningStatements() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for s := range p.conns {
		s.mu.Lock()
		if s.running != "" {
			out = append(out, s.running)
		}
		s.mu.Unlock()
	}
	slices.Sort(out)
	return out
}

// DropSessions cuts every client connection, as an administrator killing
// sessions would (running statements are cancelled, open transactions
// rolled back), and returns how many there were.
func (p *Peer) DropSessions() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for s := range p.conns {
		s.mu.Lock()
		if s.cancel != nil {
			s.cancel()
		}
		s.mu.Unlock()
		_ = s.conn.Close()
	}
	return len(p.conns)
}

// killSession ends the session with that SID and serial number, as ALTER
// SYSTEM KILL SESSION does; false if there is none.
func (p *Peer) killSession(sid, serial int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for s := range p.conns {
		if s.id == sid && s.ser == serial {
			s.mu.Lock()
			if s.cancel != nil {
				s.cancel()
			}
			s.mu.Unlock()
			_ = s.conn.Close()
			return true
		}
	}
	return false
}

// Close stops the peer: it closes the listener and every connection, waits
// for them, and removes the database. It is safe to call more than once.
func (p *Peer) Close() error {
	p.closeOnce.Do(func() {
		p.mu.Lock()
		p.stop()
		p.mu.Unlock()
		err := p.ln.Close()
		if p.admin != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if e := p.admin.Shutdown(ctx); e != nil {
				_ = p.admin.Close()
			}
			cancel()
			<-p.adminErr
		}
		p.DropSessions()
		p.wg.Wait()
		p.closeErr = errors.Join(ignoreClosed(err), p.db.Close(), os.RemoveAll(p.dir))
	})
	return p.closeErr
}

// startAdmin serves the peer's observe.Handler on its own HTTP listener.
func (p *Peer) startAdmin() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("orapeer: admin listener: %w", err)
	}
	p.adminLn = ln
	p.admin = &http.Server{
		Handler:           &observe.Handler{Peer: p, Authorized: observe.Token(p.cfg.AdminToken)},
		ReadHeaderTimeout: 10 * time.Second,
	}
	p.adminErr = make(chan error, 1)
	go func() { p.adminErr <- p.admin.Serve(ln) }()
	return nil
}

// AdminURL is the base URL of the peer's observe.Handler
// (http://127.0.0.1:PORT), or "" without Config.AdminToken.
func (p *Peer) AdminURL() string {
	if p.adminLn == nil {
		return ""
	}
	return "http://" + p.adminLn.Addr().String()
}

// Remote returns an observe.Remote for this peer's admin endpoint (its
// method set is conformance.Observer's), or nil without Config.AdminToken.
func (p *Peer) Remote() *observe.Remote {
	if p.adminLn == nil {
		return nil
	}
	return &observe.Remote{URL: p.AdminURL(), Token: p.cfg.AdminToken}
}

func ignoreClosed(err error) error {
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
