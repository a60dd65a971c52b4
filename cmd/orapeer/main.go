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
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/vapsql/vap/peer/orapeer"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run is the command: it parses args and serves a peer until ctx is done
// (or stdin closes, with -until-stdin-eof). It returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("orapeer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg orapeer.Config
	fs.StringVar(&cfg.User, "user", "", "the user the peer accepts (required)")
	fs.StringVar(&cfg.Password, "password", getenv("ORAPEER_PASSWORD"), "its password (default $ORAPEER_PASSWORD)")
	fs.StringVar(&cfg.Service, "service", orapeer.DefaultService, "the service name (or SID) clients connect to")
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:0", "TCP address to listen on")
	fs.StringVar(&cfg.AdminToken, "admin-token", getenv("ORAPEER_ADMIN_TOKEN"), "serve the observe admin endpoint (admin_url) to this bearer token (default $ORAPEER_ADMIN_TOKEN)")
	untilEOF := fs.Bool("until-stdin-eof", false, "also stop when standard input closes")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "orapeer: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if cfg.User == "" || cfg.Password == "" {
		fmt.Fprintln(stderr, "orapeer: -user and a password (ORAPEER_PASSWORD or -password) are required")
		return 2
	}
	if *untilEOF {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() {
			_, _ = io.Copy(io.Discard, stdin)
			cancel()
		}()
	}
	if err := orapeer.Serve(ctx, cfg, stdout); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
