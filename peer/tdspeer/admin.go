package tdspeer

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/vapsql/vap/peer/observe"
	"github.com/vapsql/vap/peer/peerproc"
)

// What a SQL Server administrator sees and does outside a session
// (sys.dm_exec_requests, KILL), which the peer's SQL does not emulate, is
// served on a second port by an observe.Handler, so a peer in another
// process (cmd/tdspeer) can be observed too, with an observe.Remote whose
// Token is Config.AdminToken.
var _ observe.Observable = (*Peer)(nil)

// startAdmin serves the admin endpoints on 127.0.0.1 (a free port).
func (p *Peer) startAdmin() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("tdspeer: admin listener: %w", err)
	}
	p.admin = &http.Server{
		Handler:           &observe.Handler{Peer: p, Authorized: observe.Token(p.cfg.AdminToken)},
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

// AdminURL is the base URL of the peer's observe.Handler, for an
// observe.Remote.
func (p *Peer) AdminURL() string { return "http://" + p.adminLn.Addr().String() }

// Listening tells a client where a peer listens; Serve writes it as one
// JSON line. It holds no secret.
type Listening struct {
	Address  string `json:"address"` // 127.0.0.1:PORT
	Host     string `json:"host"`    // localhost, a name the certificate holds
	Port     int    `json:"port"`
	Database string `json:"database"`
	CAFile   string `json:"ca_file,omitempty"` // for options.certificate
	AdminURL string `json:"admin_url"`         // for observe.Remote
}

// Listening returns where p listens.
func (p *Peer) Listening() Listening {
	return Listening{Address: p.Address(), Host: p.Host(), Port: p.Port(),
		Database: p.Database(), CAFile: p.CAFile(), AdminURL: p.AdminURL()}
}

// Serve starts a peer with cfg, writes its Listening to w as one JSON
// line (peerproc.Announce), serves until ctx is done, then closes the
// peer. It is the body of cmd/tdspeer and of a peerproc child.
func Serve(ctx context.Context, cfg Config, w io.Writer) error {
	p, err := Start(cfg)
	if err != nil {
		return err
	}
	if err := peerproc.Announce(w, p.Listening()); err != nil {
		_ = p.Close()
		return err
	}
	<-ctx.Done()
	return p.Close()
}
