package tdspeer

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// What a SQL Server administrator sees and does outside a session
// (sys.dm_exec_requests, KILL), which the peer's SQL does not emulate, is
// served over HTTP on a second port, so a peer in another process
// (cmd/tdspeer) can be observed too (Remote). Requests authenticate with
// the peer's SQL login as HTTP Basic credentials.
const (
	adminRunning = "/admin/running"
	adminDrop    = "/admin/drop-sessions"
)

// startAdmin serves the admin endpoints on 127.0.0.1 (a free port).
func (p *Peer) startAdmin() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("tdspeer: admin listener: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+adminRunning, func(w http.ResponseWriter, r *http.Request) {
		stmts, _ := p.Running(r.Context())
		if stmts == nil {
			stmts = []string{}
		}
		writeJSON(w, map[string]any{"statements": stmts})
	})
	mux.HandleFunc("POST "+adminDrop, func(w http.ResponseWriter, r *http.Request) {
		n, _ := p.DropSessions(r.Context())
		writeJSON(w, map[string]any{"ended": n})
	})
	p.admin = &http.Server{
		Handler:           p.adminAuth(mux),
		ReadHeaderTimeout: 10 * time.Second,
	}
	p.adminLn = ln
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		_ = p.admin.Serve(ln)
	}()
	return nil
}

func (p *Peer) adminAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, pw, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u), []byte(p.cfg.User)) != 1 ||
			subtle.ConstantTimeCompare([]byte(pw), []byte(p.cfg.Password)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="tdspeer"`)
			http.Error(w, "the peer's SQL login is required", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// AdminURL is the base URL of the peer's admin endpoints, for Remote.
func (p *Peer) AdminURL() string { return "http://" + p.adminLn.Addr().String() }

// Remote observes and controls a peer through its admin endpoints, from
// another process (a peer cmd/tdspeer runs) or this one. Its method set is
// that of conformance.Observer.
type Remote struct {
	// URL is the peer's AdminURL (the "admin_url" Serve announces).
	URL string
	// User and Password are the peer's SQL login.
	User, Password string
	// Client sends the requests; nil means one with a 30-second timeout.
	Client *http.Client
}

var defaultRemoteClient = &http.Client{Timeout: 30 * time.Second}

// Running returns the text of every statement the peer is running now.
func (r *Remote) Running(ctx context.Context) ([]string, error) {
	var out struct {
		Statements []string `json:"statements"`
	}
	if err := r.call(ctx, http.MethodGet, adminRunning, &out); err != nil {
		return nil, err
	}
	return out.Statements, nil
}

// DropSessions ends every session the peer has open and returns how many.
func (r *Remote) DropSessions(ctx context.Context) (int, error) {
	var out struct {
		Ended int `json:"ended"`
	}
	if err := r.call(ctx, http.MethodPost, adminDrop, &out); err != nil {
		return 0, err
	}
	return out.Ended, nil
}

// call sends one request and decodes the JSON answer. Errors name the
// path and the HTTP status, never the password.
func (r *Remote) call(ctx context.Context, method, path string, out any) error {
	base := strings.TrimRight(r.URL, "/")
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return fmt.Errorf("tdspeer: Remote.URL %q is not an http(s) URL", r.URL)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, nil)
	if err != nil {
		return fmt.Errorf("tdspeer: %s %s: %w", method, path, err)
	}
	req.SetBasicAuth(r.User, r.Password)
	c := r.Client
	if c == nil {
		c = defaultRemoteClient
	}
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("tdspeer: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("tdspeer: %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("tdspeer: %s %s: HTTP %d", method, path, resp.StatusCode)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("tdspeer: %s %s: %w", method, path, err)
	}
	return nil
}

// Listening tells a client where a peer listens; Serve writes it as one
// JSON line. It holds no secret.
type Listening struct {
	Address  string `json:"address"` // 127.0.0.1:PORT
	Host     string `json:"host"`    // localhost, a name the certificate holds
	Port     int    `json:"port"`
	Database string `json:"database"`
	CAFile   string `json:"ca_file,omitempty"` // for options.certificate
	AdminURL string `json:"admin_url"`         // for Remote
}

// Serve starts a peer with cfg, writes its Listening to w as one JSON
// line, serves until ctx is done, then closes the peer. It is the body of
// cmd/tdspeer.
func Serve(ctx context.Context, cfg Config, w io.Writer) error {
	p, err := Start(cfg)
	if err != nil {
		return err
	}
	line, err := json.Marshal(Listening{Address: p.Address(), Host: p.Host(), Port: p.Port(),
		Database: p.Database(), CAFile: p.CAFile(), AdminURL: p.AdminURL()})
	if err == nil {
		_, err = fmt.Fprintf(w, "%s\n", line)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("tdspeer: announce the address: %w", err), p.Close())
	}
	<-ctx.Done()
	return p.Close()
}
