package dbsqlpeer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	_ "modernc.org/sqlite" // the warehouse's storage

	"github.com/vapsql/vap/internal/sqliteuri"
	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
)

// Defaults for the zero values of Config.
const (
	DefaultHTTPPath          = "/sql/1.0/warehouses/dbsqlpeer"
	DefaultDirectResultsWait = 5 * time.Second
	DefaultMaxResultRows     = 100_000
	DefaultMaxSessions       = 64
	DefaultMaxOperations     = 1024
	DefaultTokenTTL          = time.Hour
	// DefaultAbandonedStatementTimeout is ten of the driver's default
	// status polls (databricks-sql-go polls a running statement every
	// second).
	DefaultAbandonedStatementTimeout = 10 * time.Second
	// DefaultArrowBatchRows bounds an inline Arrow batch.
	DefaultArrowBatchRows = 10_000
	// DefaultCloudFetchThreshold is the result size, in rows, from which
	// the peer sends CloudFetch links to a client that can download them.
	DefaultCloudFetchThreshold = 100_000
	// DefaultCloudFetchFileRows bounds the rows of one CloudFetch file.
	DefaultCloudFetchFileRows = 10_000
	// DefaultCloudFetchLinksPerPage is how many links one page carries.
	DefaultCloudFetchLinksPerPage = 8
	// DefaultCloudFetchLinkTTL is how long a CloudFetch link is valid.
	DefaultCloudFetchLinkTTL = 15 * time.Minute
)

// Limits that keep one peer's resources bounded whatever a client sends.
const (
	maxRequestBytes = 16 << 20
	maxPageRows     = 100_000
	maxIssuedTokens = 1024
	stopWait        = 10 * time.Second
)

// Config describes a peer. At least one credential (Token, a ClientID with
// its ClientSecret, or SubjectToken) is required.
type Config struct {
	// Token is a personal access token the peer accepts as
	// "Authorization: Bearer <Token>".
	Token string
	// ClientID and ClientSecret are an OAuth machine-to-machine client the
	// token endpoint (TokenURL) accepts in a client_credentials grant.
	ClientID     string
	ClientSecret string
	// SubjectToken is a federated token the token endpoint accepts as the
	// subject_token of an RFC 8693 token exchange (its user is
	// FederatedUser).
	SubjectToken string
	// Viewers maps more subject tokens the token exchange accepts to the
	// user each stands for: a viewer's token, exchanged, runs statements as
	// that user (current_user() returns the name).
	Viewers map[string]string
	// TokenTTL is the lifetime of tokens the token endpoint issues
	// (default DefaultTokenTTL); an expired token gets 401.
	TokenTTL time.Duration
	// HTTPPath is the warehouse's HTTP path (default DefaultHTTPPath).
	HTTPPath string
	// DirectResultsWait is how long ExecuteStatement waits for a statement
	// before answering RUNNING, after which the driver polls
	// GetOperationStatus (default DefaultDirectResultsWait; negative: answer
	// at once).
	DirectResultsWait time.Duration
	// MaxResultRows bounds a result held in memory (default
	// DefaultMaxResultRows); a larger result fails with SQLSTATE 54000.
	MaxResultRows int64
	// MaxSessions and MaxOperations bound open sessions and open
	// statements (defaults DefaultMaxSessions, DefaultMaxOperations).
	MaxSessions   int
	MaxOperations int
	// AbandonedStatementTimeout is how long a running statement may go
	// without any call naming its handle (GetOperationStatus, FetchResults,
	// CancelOperation, ...) before the peer cancels and closes it, as a
	// warehouse ends a statement whose client went away (HiveServer2's idle
	// operation timeout). A client that dropped the ExecuteStatement answer
	// never learns the handle and cannot cancel it any other way; a driver
	// polls a statement it waits for (databricks-sql-go every second).
	// Default DefaultAbandonedStatementTimeout; negative: never.
	AbandonedStatementTimeout time.Duration
	// Results is how result rows are sent (default ArrowResults, as a
	// warehouse answers; ColumnResults for column-based row sets).
	Results ResultFormat
	// ArrowBatchRows bounds the rows of one inline Arrow batch (default
	// DefaultArrowBatchRows); a page of max_rows rows holds several.
	ArrowBatchRows int
	// CloudFetchThreshold: a result of at least this many rows goes by
	// CloudFetch links when the client can download results (default
	// DefaultCloudFetchThreshold; 1: every result with rows; negative:
	// never).
	CloudFetchThreshold int64
	// CloudFetchFileRows bounds the rows of one CloudFetch file (default
	// DefaultCloudFetchFileRows).
	CloudFetchFileRows int
	// CloudFetchLinksPerPage is how many links (files) one page of a
	// CloudFetch result carries (default DefaultCloudFetchLinksPerPage),
	// whatever the client's max_rows: how much a client holds at once is
	// then up to how many files it downloads at a time.
	CloudFetchLinksPerPage int
	// CloudFetchLinkTTL is how long a CloudFetch link is valid (default
	// DefaultCloudFetchLinkTTL); an expired link gets 403 as from cloud
	// storage.
	CloudFetchLinkTTL time.Duration
}

// Peer is a running local Databricks SQL warehouse. Its methods are safe
// for concurrent use.
type Peer struct {
	cfg       Config
	ln        net.Listener
	srv       *http.Server
	serveDone chan struct{}
	db        *sql.DB
	dir       string
	processor *tcli.TCLIServiceProcessor
	transport *routeTransport

	base context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup // statement goroutines

	mu        sync.Mutex
	closed    bool
	sessions  map[string]*session
	ops       map[string]*operation
	tokens    map[string]issuedToken // issued token -> expiry and user
	ended     endedSessions          // sessions DropSessions ended
	files     map[string]*cloudFile  // CloudFetch files by id
	fileOrder []string               // file ids, oldest first

	calls        [numMethods]atomic.Int64
	running      atomic.Int64
	canceled     atomic.Int64
	unauthorized atomic.Int64
	issued       atomic.Int64
	flagFetches  atomic.Int64
	abandoned    atomic.Int64
	downloads    atomic.Int64
	pages        [numForms]atomic.Int64
	expiredLinks atomic.Int64

	closeOnce sync.Once
	closeErr  error
}

// Start starts a peer on 127.0.0.1 (a free port) with an empty SQLite
// database in a temporary directory. Close stops it and removes the data.
func Start(cfg Config) (*Peer, error) {
	if cfg.Token == "" && cfg.SubjectToken == "" && len(cfg.Viewers) == 0 && (cfg.ClientID == "" || cfg.ClientSecret == "") {
		return nil, errors.New("dbsqlpeer: Config needs a Token, a ClientID with a ClientSecret, or a SubjectToken")
	}
	if cfg.HTTPPath == "" {
		cfg.HTTPPath = DefaultHTTPPath
	}
	if !strings.HasPrefix(cfg.HTTPPath, "/") || strings.ContainsAny(cfg.HTTPPath, "?#") ||
		strings.HasPrefix(cfg.HTTPPath, "/oidc/") || strings.HasPrefix(cfg.HTTPPath, "/api/") {
		return nil, fmt.Errorf("dbsqlpeer: HTTPPath %q must start with / and not be under /oidc/ or /api/", cfg.HTTPPath)
	}
	if cfg.DirectResultsWait == 0 {
		cfg.DirectResultsWait = DefaultDirectResultsWait
	}
	if cfg.MaxResultRows <= 0 {
		cfg.MaxResultRows = DefaultMaxResultRows
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.MaxOperations <= 0 {
		cfg.MaxOperations = DefaultMaxOperations
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = DefaultTokenTTL
	}
	if cfg.Results != ArrowResults && cfg.Results != ColumnResults {
		return nil, fmt.Errorf("dbsqlpeer: unknown Results %d", int(cfg.Results))
	}
	if cfg.ArrowBatchRows <= 0 {
		cfg.ArrowBatchRows = DefaultArrowBatchRows
	}
	if cfg.CloudFetchThreshold == 0 {
		cfg.CloudFetchThreshold = DefaultCloudFetchThreshold
	}
	if cfg.CloudFetchFileRows <= 0 {
		cfg.CloudFetchFileRows = DefaultCloudFetchFileRows
	}
	if cfg.CloudFetchLinksPerPage <= 0 {
		cfg.CloudFetchLinksPerPage = DefaultCloudFetchLinksPerPage
	}
	if cfg.CloudFetchLinkTTL <= 0 {
		cfg.CloudFetchLinkTTL = DefaultCloudFetchLinkTTL
	}
	if cfg.AbandonedStatementTimeout == 0 {
		cfg.AbandonedStatementTimeout = DefaultAbandonedStatementTimeout
	}

	dir, err := os.MkdirTemp("", "dbsqlpeer-")
	if err != nil {
		return nil, fmt.Errorf("dbsqlpeer: %w", err)
	}
	db, err := openDB(filepath.Join(dir, "warehouse.db"))
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = db.Close()
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("dbsqlpeer: %w", err)
	}
	p := &Peer{
		cfg:       cfg,
		ln:        ln,
		serveDone: make(chan struct{}),
		db:        db,
		dir:       dir,
		sessions:  make(map[string]*session),
		ops:       make(map[string]*operation),
		tokens:    make(map[string]issuedToken),
		files:     make(map[string]*cloudFile),
	}
	p.base, p.stop = context.WithCancel(context.Background())
	p.processor = tcli.NewTCLIServiceProcessor(&service{p: p})
	p.transport = newRouteTransport(ln.Addr().String())
	mux := http.NewServeMux()
	mux.HandleFunc(cfg.HTTPPath, p.serveThrift)
	mux.HandleFunc(tokenPath, p.serveToken)
	mux.HandleFunc(discoveryPath, p.serveDiscovery)
	mux.HandleFunc(featureFlagsPath, p.serveFeatureFlags)
	mux.HandleFunc(cloudFetchPath, p.serveCloudFetch)
	p.registerAdmin(mux)
	p.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return p.base },
	}
	if cfg.AbandonedStatementTimeout > 0 {
		p.wg.Add(1)
		go p.reapAbandoned(cfg.AbandonedStatementTimeout)
	}
	go func() {
		defer close(p.serveDone)
		_ = p.srv.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return p, nil
}

func openDB(path string) (*sql.DB, error) {
	params := url.Values{}
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "busy_timeout(10000)")
	params.Add("_pragma", "foreign_keys(1)")
	db, err := sql.Open("sqlite", sqliteuri.Build(path, params))
	if err != nil {
		return nil, fmt.Errorf("dbsqlpeer: %w", err)
	}
	db.SetMaxOpenConns(16)
	if err := db.Ping(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("dbsqlpeer: %w", err)
	}
	return db, nil
}

// Host is the host name to give the driver: "localhost", the only host for
// which databricks-sql-go v1.14.0 speaks plain HTTP.
func (p *Peer) Host() string { return "localhost" }

// Port is the peer's TCP port on 127.0.0.1.
func (p *Peer) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// HTTPPath is the warehouse's HTTP path.
func (p *Peer) HTTPPath() string { return p.cfg.HTTPPath }

// URL is the peer's base URL, http://127.0.0.1:PORT.
func (p *Peer) URL() string { return "http://" + p.ln.Addr().String() }

// TokenURL is the OAuth token endpoint (client credentials and token
// exchange), under /oidc/v1/token as on a Databricks workspace.
func (p *Peer) TokenURL() string { return p.URL() + tokenPath }

// DB is the SQLite database the warehouse runs on, to seed or inspect data
// in SQLite's dialect. Do not close it; Close does.
func (p *Peer) DB() *sql.DB { return p.db }

// Transport returns an http.RoundTripper for the driver (dbsql.WithTransport)
// that sends every request for host localhost, whatever its scheme and port,
// to the peer, and refuses every other host. With it the driver's
// feature-flag request (https://localhost:443/api/2.0/connector-service/…),
// which it makes on every connect, reaches the peer, which answers telemetry
// off; nothing touches port 443.
func (p *Peer) Transport() http.RoundTripper { return p.transport }

// Close cancels every running statement, stops the server, waits for its
// goroutines, and removes the database. It is safe to call more than once.
func (p *Peer) Close() error {
	p.closeOnce.Do(func() {
		p.mu.Lock()
		p.closed = true
		p.mu.Unlock()
		p.stop()
		ctx, cancel := context.WithTimeout(context.Background(), stopWait)
		if err := p.srv.Shutdown(ctx); err != nil {
			_ = p.srv.Close()
		}
		cancel()
		<-p.serveDone
		p.wg.Wait()
		p.transport.CloseIdleConnections()
		p.mu.Lock()
		clear(p.sessions)
		clear(p.ops)
		clear(p.files)
		p.fileOrder = nil
		p.mu.Unlock()
		p.closeErr = errors.Join(p.db.Close(), os.RemoveAll(p.dir))
	})
	return p.closeErr
}

// serveThrift answers one Thrift call: a binary-protocol message in the
// POST body, the reply in the response body.
func (p *Peer) serveThrift(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	user, ok := p.caller(r)
	if !ok {
		p.unauthorized.Add(1)
		w.Header().Set("WWW-Authenticate", `Bearer realm="dbsqlpeer"`)
		w.Header().Set("X-Databricks-Reason-Phrase", "Invalid access token.") // the driver adds it to its error
		http.Error(w, "Unauthorized: a valid bearer token is required", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		http.Error(w, "request body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	in := thrift.NewTMemoryBufferLen(len(body))
	_, _ = in.Write(body)
	out := thrift.NewTMemoryBuffer()
	pf := thrift.NewTBinaryProtocolFactoryConf(&thrift.TConfiguration{MaxMessageSize: maxRequestBytes})
	ctx := context.WithValue(r.Context(), callerKey{}, user)
	_, terr := p.processor.Process(ctx, pf.GetProtocol(in), pf.GetProtocol(out))
	if terr != nil && errors.Is(terr, thrift.ErrAbandonRequest) {
		return // the client is gone
	}
	if ended := (*sessionEndedError)(nil); errors.As(terr, &ended) {
		ended.write(w)
		return
	}
	w.Header().Set("Content-Type", "application/x-thrift")
	_, _ = w.Write(out.Bytes())
}

// callerKey is the context key of the authenticated caller's user name.
type callerKey struct{}

func callerOf(ctx context.Context) string {
	u, _ := ctx.Value(callerKey{}).(string)
	return u
}
