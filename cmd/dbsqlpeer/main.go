// Command dbsqlpeer runs a local Databricks SQL warehouse (package
// github.com/vapsql/vap/peer/dbsqlpeer) in a process of its own, for
// testing Databricks code without a workspace:
//
//	go run ./cmd/dbsqlpeer -token dapi-test
//
// It prints one JSON line with where it listens (url, host, port,
// http_path, token_url) and serves until interrupted (SIGINT, SIGTERM) or,
// with -until-stdin-eof, until its standard input closes, so a parent
// process that dies takes the peer with it. The token can also come from
// DBSQLPEER_TOKEN, and the OAuth client secret from DBSQLPEER_CLIENT_SECRET,
// to keep them out of the process list.
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

	"github.com/vapsql/vap/peer/dbsqlpeer"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run is the command: it parses args and serves a peer until ctx is done
// (or stdin closes, with -until-stdin-eof). It returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dbsqlpeer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg dbsqlpeer.Config
	fs.StringVar(&cfg.Token, "token", getenv("DBSQLPEER_TOKEN"), "personal access token the peer accepts (default $DBSQLPEER_TOKEN)")
	fs.StringVar(&cfg.ClientID, "client-id", "", "OAuth machine-to-machine client ID for the token endpoint")
	fs.StringVar(&cfg.ClientSecret, "client-secret", getenv("DBSQLPEER_CLIENT_SECRET"), "its client secret (default $DBSQLPEER_CLIENT_SECRET)")
	fs.StringVar(&cfg.HTTPPath, "http-path", dbsqlpeer.DefaultHTTPPath, "the warehouse's HTTP path")
	fs.Int64Var(&cfg.MaxResultRows, "max-result-rows", dbsqlpeer.DefaultMaxResultRows, "largest result the peer holds")
	results := fs.String("results", "arrow", "result format: arrow (inline Arrow batches, CloudFetch links for large results) or columns")
	fs.Int64Var(&cfg.CloudFetchThreshold, "cloudfetch-threshold", dbsqlpeer.DefaultCloudFetchThreshold, "results of at least this many rows go by CloudFetch links (negative: never)")
	untilEOF := fs.Bool("until-stdin-eof", false, "also stop when standard input closes")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dbsqlpeer: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	f, err := dbsqlpeer.ParseResultFormat(*results)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	cfg.Results = f
	if cfg.CloudFetchThreshold == 0 {
		fmt.Fprintln(stderr, "dbsqlpeer: -cloudfetch-threshold must not be 0 (1: every result; negative: never)")
		return 2
	}
	if cfg.MaxResultRows <= 0 {
		fmt.Fprintln(stderr, "dbsqlpeer: -max-result-rows must be positive")
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
	if err := dbsqlpeer.Serve(ctx, cfg, stdout); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
