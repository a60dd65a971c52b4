package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func init() { connCommands = append(connCommands, newConnTest) }

func newConnTest(a *app) *cobra.Command {
	var timeout time.Duration
	c := &cobra.Command{
		Use:   "test NAME",
		Short: "Open the connection and ping it; exit status 1 on failure",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			conn, err := a.connector(name)
			if err != nil {
				return err
			}
			db := sql.OpenDB(conn)
			defer db.Close()
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			start := time.Now()
			if err := db.PingContext(ctx); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "ok: %s (%s) answered in %s\n", name, conn.Type().Name, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	c.Flags().DurationVar(&timeout, "timeout", 15*time.Second, "give up after this long")
	return c
}
