package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/server"
)

// EnvAPIToken holds the bearer token of vap serve.
const EnvAPIToken = "VAP_API_TOKEN"

func init() { commands = append(commands, newServe) }

func newServe(a *app) *cobra.Command {
	var addr, tokenFile string
	c := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:5000] [--token-file FILE]",
		Short: "Serve the platform's connection REST endpoint (/controller/connection/…)",
		Long: `Serve the connection store over HTTP, compatible with the platform:

  POST /controller/connection/create/   {"name": …, "connection_data": {…}}
  GET  /controller/connection/list/
  GET  /controller/connection/show/?name=NAME        secrets as ********
  POST /controller/connection/update/   {"name": …, "connection_data": {…}}  (If-Match: VERSION)
  POST /controller/connection/delete/   {"name": …}
  POST /controller/connection/test/     {"name": …}

Every request needs "Authorization: Bearer TOKEN". The token comes from $VAP_API_TOKEN,
else from --token-file (a file only its owner can read). Serve plain HTTP on loopback
and put TLS in front of it (a reverse proxy) for anything else.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			token, err := apiToken(tokenFile)
			if err != nil {
				return err
			}
			log := slog.New(slog.NewTextHandler(a.stderr, nil))
			srv, err := server.New(server.Config{Store: a.store(), Token: token, Logger: log})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve(ln) }()
			fmt.Fprintf(a.stdout, "serving the connection store on http://%s%s\n", ln.Addr(), server.Prefix)
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := hs.Shutdown(sctx); err != nil {
				return err
			}
			if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:5000", "address to listen on")
	c.Flags().StringVar(&tokenFile, "token-file", "", "file holding the bearer token (when "+EnvAPIToken+" is not set)")
	return c
}

// apiToken returns the bearer token from VAP_API_TOKEN or the token file.
func apiToken(file string) (string, error) {
	if t := strings.TrimSpace(os.Getenv(EnvAPIToken)); t != "" {
		return t, nil
	}
	if file == "" {
		return "", usagef("set %s or give --token-file: every request must carry that bearer token", EnvAPIToken)
	}
	fi, err := os.Stat(file)
	if err != nil {
		return "", err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("token file %s has mode %04o: it must not be readable by group or others; run chmod 600 %s", file, perm, file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		return "", fmt.Errorf("token file %s is empty", file)
	}
	return t, nil
}
