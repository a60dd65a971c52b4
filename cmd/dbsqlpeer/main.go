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
	"io"

	"github.com/vapsql/vap/internal/peercmd"
	"github.com/vapsql/vap/peer/dbsqlpeer"
)

func main() { peercmd.Main(run) }

// run is the command: it parses args and serves a peer until ctx is done
// (or stdin closes, with -until-stdin-eof). It returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := peercmd.NewFlagSet("dbsqlpeer", stderr)
	var cfg dbsqlpeer.Config
	fs.StringVar(&cfg.Token, "token", getenv("DBSQLPEER_TOKEN"), "personal access token the peer accepts (default $DBSQLPEER_TOKEN)")
	fs.StringVar(&cfg.ClientID, "client-id", "", "OAuth machine-to-machine client ID for the token endpoint")
	fs.StringVar(&cfg.ClientSecret, "client-secret", getenv("DBSQLPEER_CLIENT_SECRET"), "its client secret (default $DBSQLPEER_CLIENT_SECRET)")
	fs.StringVar(&cfg.HTTPPath, "http-path", dbsqlpeer.DefaultHTTPPath, "the warehouse's HTTP path")
	fs.Int64Var(&cfg.MaxResultRows, "max-result-rows", dbsqlpeer.DefaultMaxResultRows, "largest result the peer holds")
	results := fs.String("results", "arrow", "result format: arrow (inline Arrow batches, CloudFetch links for large results) or columns")
	fs.Int64Var(&cfg.CloudFetchThreshold, "cloudfetch-threshold", dbsqlpeer.DefaultCloudFetchThreshold, "results of at least this many rows go by CloudFetch links (negative: never)")
	check := func() error {
		f, err := dbsqlpeer.ParseResultFormat(*results)
		if err != nil {
			return err
		}
		cfg.Results = f
		if cfg.CloudFetchThreshold == 0 {
			return errors.New("dbsqlpeer: -cloudfetch-threshold must not be 0 (1: every result; negative: never)")
		}
		if cfg.MaxResultRows <= 0 {
			return errors.New("dbsqlpeer: -max-result-rows must be positive")
		}
		return nil
	}
	serve := func(ctx context.Context, announce io.Writer) error { return dbsqlpeer.Serve(ctx, cfg, announce) }
	return peercmd.Run(ctx, peercmd.Command{Flags: fs, Check: check, Serve: serve}, args, stdin, stdout, stderr)
}
