package orapeer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Endpoint tells a client where a peer listens; Serve writes it as one JSON
// line. It holds no credentials.
type Endpoint struct {
	Address string `json:"address"` // host:port
	Host    string `json:"host"`
	Port    int    `json:"port"`
	Service string `json:"service"`
	// AdminURL is where observe.Remote reaches the peer ("" without an
	// admin token).
	AdminURL string `json:"admin_url,omitempty"`
}

// Endpoint returns where p listens.
func (p *Peer) Endpoint() Endpoint {
	return Endpoint{Address: p.Address(), Host: p.Host(), Port: p.Port(), Service: p.Service(), AdminURL: p.AdminURL()}
}

// Serve starts a peer with cfg, writes its Endpoint to w as one JSON line,
// serves until ctx is done, then closes the peer. It is the body of
// cmd/orapeer, for running a peer in a process of its own.
func Serve(ctx context.Context, cfg Config, w io.Writer) error {
	p, err := Start(cfg)
	if err != nil {
		return err
	}
	// the line peerproc.Start reads (peerproc itself imports testing)
	line, err := json.Marshal(p.Endpoint())
	if err == nil {
		_, err = fmt.Fprintf(w, "%s\n", line)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("orapeer: announce the address: %w", err), p.Close())
	}
	<-ctx.Done()
	return p.Close()
}
