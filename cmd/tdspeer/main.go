// Command tdspeer runs a local SQL Server (package
// github.com/vapsql/vap/peer/tdspeer) in a process of its own, for testing
// SQL Server code without a server:
//
//	TDSPEER_PASSWORD=secret go run ./cmd/tdspeer -user vap
//
// It prints one JSON line with where it listens (address, host, port,
// database, ca_file, admin_url: a peer/observe Handler whose bearer token
// is the password) and serves until interrupted (SIGINT,
// SIGTERM) or, with -until-stdin-eof, until its standard input closes, so
// a parent process that dies takes the peer with it. The password comes
// from TDSPEER_PASSWORD (or -password), to keep it out of the process list.
package main

import (
	"context"
	"errors"
	"io"

	"github.com/vapsql/vap/internal/peercmd"
	"github.com/vapsql/vap/peer/tdspeer"
)

func main() { peercmd.Main(run) }

// run is the command: it parses args and serves a peer until ctx is done
// (or stdin closes, with -until-stdin-eof). It returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := peercmd.NewFlagSet("tdspeer", stderr)
	var cfg tdspeer.Config
	fs.StringVar(&cfg.User, "user", "sa", "the SQL login the peer accepts")
	fs.StringVar(&cfg.Password, "password", getenv("TDSPEER_PASSWORD"), "its password (default $TDSPEER_PASSWORD)")
	fs.StringVar(&cfg.Database, "database", tdspeer.DefaultDatabase, "the name of the peer's database")
	fs.IntVar(&cfg.MaxResultRows, "max-result-rows", tdspeer.DefaultMaxResultRows, "largest result set the peer holds")
	check := func() error {
		if cfg.MaxResultRows <= 0 {
			return errors.New("tdspeer: -max-result-rows must be positive")
		}
		return nil
	}
	serve := func(ctx context.Context, announce io.Writer) error { return tdspeer.Serve(ctx, cfg, announce) }
	return peercmd.Run(ctx, peercmd.Command{Flags: fs, Check: check, Serve: serve}, args, stdin, stdout, stderr)
}
