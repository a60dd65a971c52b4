package dbsqlpeer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Address tells a client where a peer listens; Serve writes it as one JSON
// line.
type Address struct {
	// URL is the base URL, http://127.0.0.1:PORT (for Remote).
	URL string `json:"url"`
	// Host, Port and HTTPPath are the driver's server_hostname, port and
	// http_path.
	Host     string `json:"host"`
	Port     int    `json:"port"`
	HTTPPath string `json:"http_path"`
	// TokenURL is the OAuth token endpoint.
	TokenURL string `json:"token_url"`
}

// Address returns where p listens.
func (p *Peer) Address() Address {
	return Address{URL: p.URL(), Host: p.Host(), Port: p.Port(), HTTPPath: p.HTTPPath(), TokenURL: p.TokenURL()}
}

// Serve starts a peer with cfg, writes its Address to w as one JSON line,
// serves until ctx is done, then closes the peer. It is the body of
// cmd/dbsqlpeer, for running a peer in a process of its own.
func Serve(ctx context.Context, cfg Config, w io.Writer) error {
	p, err := Start(cfg)
	if err != nil {
		return err
	}
	line, err := json.Marshal(p.Address())
	if err == nil {
		_, err = fmt.Fprintf(w, "%s\n", line)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("dbsqlpeer: announce the address: %w", err), p.Close())
	}
	<-ctx.Done()
	return p.Close()
}
