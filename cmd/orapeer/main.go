// Command orapeer runs a local Oracle Database peer (package
// github.com/vapsql/vap/peer/orapeer) in a process of its own, for testing
// Oracle code without a server:
//
//	ORAPEER_PASSWORD=secret go run ./cmd/orapeer -user app -service FREEPDB1
//
// It prints one JSON line with where it listens (address, host, port,
// service, and admin_url with an admin token) and serves until interrupted (SIGINT, SIGTERM) or, with
// -until-stdin-eof, until its standard input closes, so a parent process
// that dies takes the peer with it. The password comes from
// ORAPEER_PASSWORD (or -password) to keep it out of the process list.
package main

import (
	"context"
	"errors"
	"io"

	"github.com/vapsql/vap/internal/peercmd"
	"github.com/vapsql/vap/peer/orapeer"
)

func main() { peercmd.Main(run) }

// run is the command: it parses args and serves a peer until ctx is done
// (or stdin closes, with -until-stdin-eof). It returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := peercmd.NewFlagSet("orapeer", stderr)
	var cfg orapeer.Config
	fs.StringVar(&cfg.User, "user", "", "the user the peer accepts (required)")
	fs.StringVar(&cfg.Password, "password", getenv("ORAPEER_PASSWORD"), "its password (default $ORAPEER_PASSWORD)")
	fs.StringVar(&cfg.Service, "service", orapeer.DefaultService, "the service name (or SID) clients connect to")
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:0", "TCP address to listen on")
	fs.StringVar(&cfg.AdminToken, "admin-token", getenv("ORAPEER_ADMIN_TOKEN"), "serve the observe admin endpoint (admin_url) to this bearer token (default $ORAPEER_ADMIN_TOKEN)")
	check := func() error {
		if cfg.User == "" || cfg.Password == "" {
			return errors.New("orapeer: -user and a password (ORAPEER_PASSWORD or -password) are required")
		}
		return nil
	}
	serve := func(ctx context.Context, announce io.Writer) error { return orapeer.Serve(ctx, cfg, announce) }
	return peercmd.Run(ctx, peercmd.Command{Flags: fs, Check: check, Serve: serve}, args, stdin, stdout, stderr)
}
