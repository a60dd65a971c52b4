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
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/vapsql/vap/peer/tdspeer"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run is the command: it parses args and serves a peer until ctx is done
// (or stdin closes, with -until-stdin-eof). It returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tdspeer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg tdspeer.Config
	fs.StringVar(&cfg.User, "user", "sa", "the SQL login the peer accepts")
	fs.StringVar(&cfg.Password, "password", getenv("TDSPEER_PASSWORD"), "its password (default $TDSPEER_PASSWORD)")
	fs.StringVar(&cfg.Database, "database", tdspeer.DefaultDatabase, "the name of the peer's database")
	fs.IntVar(&cfg.MaxResultRows, "max-result-rows", tdspeer.DefaultMaxResultRows, "largest result set the peer holds")
	untilEOF := fs.Bool("until-stdin-eof", false, "also stop when standard input closes")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tdspeer: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if cfg.MaxResultRows <= 0 {
		fmt.Fprintln(stderr, "tdspeer: -max-result-rows must be positive")
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
	if err := tdspeer.Serve(ctx, cfg, stdout); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
