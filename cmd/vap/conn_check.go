package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/internal/redact"
	"github.com/vapsql/vap/stdlib"
)

func init() { connCommands = append(connCommands, newConnTest) }

func newConnTest(a *app) *cobra.Command {
	var timeout time.Duration
	var suite, all bool
	c := &cobra.Command{
		Use:   "test (NAME | --all)",
		Short: "Open the connection and ping it; exit status 1 on failure",
		Long: "Open the connection and ping it; exit status 1 on failure. A failure names the step\n" +
			"that failed: configuration, reference resolution (a {\"ref\": …} field), token minting\n" +
			"(an auth_type such as aws-iam), network, TLS, authentication or server.\n\n" +
			"With --conformance, run the conformance suite instead and print a pass/fail/n.p./n/a\n" +
			"table; exit status 1 when a check fails. The suite creates and drops a scratch table\n" +
			"in the connection's database; it never changes the stored connection.\n\n" +
			"With --all, test every connection vap conn list shows, one line each (ok or FAIL),\n" +
			"and exit 1 if any failed.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if all {
				if len(args) > 0 || suite {
					return usagef("--all tests every connection: give no NAME and no --conformance")
				}
				return a.testAll(cmd.Context(), timeout)
			}
			if len(args) == 0 {
				return usagef("give NAME, or --all")
			}
			name := args[0]
			if suite {
				if !cmd.Flags().Changed("timeout") {
					timeout = conformance.DefaultTimeout
				}
				ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
				defer cancel()
				rs := conformance.Check(ctx, conformance.Target{Name: name, Store: a.store()})
				if err := conformance.WriteTable(a.stdout, rs); err != nil {
					return err
				}
				if conformance.Failed(rs) {
					return fmt.Errorf("conformance: %s failed a check", name)
				}
				return nil
			}
			typ, took, err := a.ping(cmd.Context(), name, timeout)
			if err != nil {
				return withStep(err)
			}
			fmt.Fprintf(a.stdout, "ok: %s (%s) answered in %s\n", escape(name), typ, took.Round(time.Millisecond))
			return nil
		},
	}
	c.Flags().BoolVar(&all, "all", false, "test every connection, a line each; exit 1 if any fails")
	c.Flags().DurationVar(&timeout, "timeout", 15*time.Second, "give up after this long (with --conformance: 5m)")
	c.Flags().BoolVar(&suite, "conformance", false, "run the conformance suite and print its table")
	return c
}

// ping opens connection name and pings it.
func (a *app) ping(ctx context.Context, name string, timeout time.Duration) (typ string, took time.Duration, err error) {
	// timeout bounds everything: resolving the name in the store (which
	// may have stopped answering) and the ping.
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := stdlib.NewConnectorContext(ctx, name, stdlib.WithStore(a.store()))
	if err != nil {
		return "", 0, err
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	start := time.Now()
	if err := db.PingContext(ctx); err != nil {
		return conn.Type().Name, 0, err
	}
	return conn.Type().Name, time.Since(start), nil
}

// testAll pings every listed connection in turn.
func (a *app) testAll(ctx context.Context, timeout time.Duration) error {
	es, err := a.entries(ctx)
	if err != nil {
		return err
	}
	failed := 0
	for _, e := range es {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		typ, took, err := a.ping(ctx, e.Name, timeout)
		if err != nil {
			failed++
			msg := strings.ReplaceAll(redact.String(withStep(err).Error(), a.secrets...), "\n", " ")
			fmt.Fprintf(a.stdout, "FAIL  %s: %s\n", escape(e.Name), escape(msg))
			continue
		}
		fmt.Fprintf(a.stdout, "ok    %s (%s) answered in %s\n", escape(e.Name), typ, took.Round(time.Millisecond))
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d connections failed", failed, len(es))
	}
	return nil
}

// withStep adds the step that failed to a connector's error: "(failed
// step: reference resolution)", "(failed step: authentication)"…
func withStep(err error) error {
	var ce *stdlib.ConnectError
	if errors.As(err, &ce) {
		return fmt.Errorf("%w (failed step: %s)", err, ce.Step())
	}
	return err
}
