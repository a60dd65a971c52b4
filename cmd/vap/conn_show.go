package main

import (
	"fmt"
	"maps"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/store"
)

func init() { connCommands = append(connCommands, newConnShow) }

func newConnShow(a *app) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a stored connection, secrets as ********",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			conn, err := a.store().Get(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				b, err := store.EncodePayload(conn, false)
				if err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, string(b))
				return nil
			}
			w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(w, "name\t%s\n", escape(conn.Name))
			fmt.Fprintf(w, "connection_type\t%s\n", escape(conn.Type))
			for _, k := range slices.Sorted(maps.Keys(conn.Fields)) {
				fmt.Fprintf(w, "%s\t%s\n", escape(k), escape(conn.Fields[k].String())) // Field prints secrets as ********
			}
			fmt.Fprintf(w, "version\t%d\n", conn.Version)
			fmt.Fprintf(w, "updated\t%s\n", conn.UpdatedAt.Local().Format(time.DateTime))
			return w.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the create payload, secrets redacted")
	return c
}
