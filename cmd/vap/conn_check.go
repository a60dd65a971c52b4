package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/stdlib"
)

func init() { connCommands = append(connCommands, newConnTest) }

func newConnTest(a *app) *cobra.Command {
	var timeout time.Duration
	var suite bool
	c := &cobra.Command{
		Use:   "test NAME",
		Short: "Open the connection and ping it; exit status 1 on failure",
		Long: "Open the connection and ping it; exit status 1 on failure.\n\n" +
			"With --conformance, run the conformance suite instead and print a pass/fail/n.p./n/a\n" +
			"table; exit status 1 when a check fails. The suite creates and drops a scratch table\n" +
			"in the connection's database; it never changes the stored connection.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
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
			// --timeout bounds everything: resolving the name in the store
			// (which may have stopped answering) and the ping.
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			conn, err := stdlib.NewConnectorContext(ctx, name, stdlib.WithStore(a.store()))
			if err != nil {
				return err
			}
			db := sql.OpenDB(conn)
			defer db.Close()
			start := time.Now()
			if err := db.PingContext(ctx); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "ok: %s (%s) answered in %s\n", name, conn.Type().Name, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	c.Flags().DurationVar(&timeout, "timeout", 15*time.Second, "give up after this long (with --conformance: 5m)")
	c.Flags().BoolVar(&suite, "conformance", false, "run the conformance suite and print its table")
	return c
}
