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
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/internal/hubwire"
	"github.com/vapsql/vap/server"
	"github.com/vapsql/vap/server/hubserver"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/hub"
)

// EnvAPIToken holds the bearer token of vap serve's admin API.
const EnvAPIToken = "VAP_API_TOKEN"

// EnvHubToken holds the read-only bearer token of vap serve's store hub
// (the same variable the store/hub backend reads on the process side).
const EnvHubToken = hub.EnvToken

func init() { commands = append(commands, newServe) }

func newServe(a *app) *cobra.Command {
	var addr, tokenFile, hubTokenFile string
	c := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:5000] [--token-file FILE] [--hub-token-file FILE]",
		Short: "Serve the platform's connection REST endpoint (/controller/connection/…) and the store hub (/hub/v1/…)",
		Long: `Serve the connection store over HTTP, compatible with the platform:

  POST /controller/connection/create/   {"name": …, "connection_data": {…}}
  GET  /controller/connection/list/
  GET  /controller/connection/show/?name=NAME        secrets as ********
  POST /controller/connection/update/   {"name": …, "connection_data": {…}}  (If-Match: VERSION)
  POST /controller/connection/delete/   {"name": …}
  POST /controller/connection/test/     {"name": …}

Every request needs "Authorization: Bearer TOKEN". The token comes from $VAP_API_TOKEN,
else from --token-file (a file only its owner can read).

With a hub token ($VAP_HUB_TOKEN, else --hub-token-file), vap serve is also the store
hub: it holds the only connections to the store (one watch and a pool of at most 4)
and Flow processes read through it with VAP_STORE=vap+http(s)://HOST:PORT and the same
VAP_HUB_TOKEN, so store connections do not grow with processes. The hub serves sealed
records only (it needs no keyset); the hub token reads, nothing else, and must differ
from the admin token. Give either token or both; without an admin token only the hub
is served, and vap serve needs no keyset.

Serve plain HTTP on loopback and put TLS in front of it (a reverse proxy) for anything else.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			token, err := readToken(EnvAPIToken, tokenFile)
			if err != nil {
				return err
			}
			hubToken, err := readToken(EnvHubToken, hubTokenFile)
			if err != nil {
				return err
			}
			if token == "" && hubToken == "" {
				return usagef("set %s or give --token-file (the admin API), and/or set %s or give --hub-token-file (the store hub): every request must carry one of those bearer tokens", EnvAPIToken, EnvHubToken)
			}
			if token != "" && token == hubToken {
				return usagef("the hub token (%s) must differ from the admin API token (%s): the hub token only reads sealed records", EnvHubToken, EnvAPIToken)
			}
			log := slog.New(slog.NewTextHandler(a.stderr, nil))
			mux := http.NewServeMux()
			var hubs []*hubserver.Hub
			if hubToken != "" {
				b, err := openHubBackend(cmd.Context(), a)
				if err != nil {
					return err
				}
				// The admin API, if served, shares the hub's backend: one
				// pool, one watch.
				a.st = store.Open(store.WithBackend(b))
				defer a.st.Close()
				h, err := hubserver.New(hubserver.Config{Backend: b, Token: hubToken, Logger: log})
				if err != nil {
					return err
				}
				defer h.Close()
				hubs = append(hubs, h)
				mux.Handle(hubwire.Prefix, h)
			}
			if token != "" {
				srv, err := server.New(server.Config{Store: a.store(), Token: token, Logger: log})
				if err != nil {
					return err
				}
				mux.Handle(server.Prefix, srv)
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
			for _, h := range hubs {
				// Watch streams never go idle: end them, or Shutdown waits.
				hs.RegisterOnShutdown(func() { h.Close() })
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve(ln) }()
			if token != "" {
				fmt.Fprintf(a.stdout, "serving the connection store on http://%s%s\n", ln.Addr(), server.Prefix)
			}
			if hubToken != "" {
				fmt.Fprintf(a.stdout, "serving the store hub on http://%s%s (processes: VAP_STORE=vap+http://%s)\n", ln.Addr(), hubwire.Prefix, ln.Addr())
			}
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
	c.Flags().StringVar(&tokenFile, "token-file", "", "file holding the admin API's bearer token (when "+EnvAPIToken+" is not set)")
	c.Flags().StringVar(&hubTokenFile, "hub-token-file", "", "file holding the store hub's read-only bearer token (when "+EnvHubToken+" is not set)")
	return c
}

// openHubBackend opens the store the hub serves: --store, VAP_STORE, else
// the default store file. It reads and watches; it never needs a keyset.
func openHubBackend(ctx context.Context, a *app) (backend.Backend, error) {
	u := a.storeURL
	if u == "" {
		u = os.Getenv(store.EnvStore)
	}
	if u == "" {
		h, err := store.Home(nil)
		if err != nil {
			return nil, err
		}
		u = filepath.Join(h, store.StoreFileName)
	}
	if pu, err := backend.ParseURL(u); err == nil && strings.HasPrefix(strings.ToLower(pu.Scheme), "vap+") {
		return nil, usagef("the hub cannot serve another hub (%s is %s://…): give it the store itself", store.EnvStore, pu.Scheme)
	}
	octx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	b, err := backend.Open(octx, u)
	if err != nil {
		return nil, fmt.Errorf("store hub: open the store %s: %w", backend.RedactURL(u), err)
	}
	return b, nil
}

// readToken returns the bearer token from the environment variable env or
// the token file; "" when neither is given.
func readToken(env, file string) (string, error) {
	if t := strings.TrimSpace(os.Getenv(env)); t != "" {
		return t, nil
	}
	if file == "" {
		return "", nil
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
