package main

import (
	"fmt"
	"maps"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/internal/termsafe"
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
			fmt.Fprintf(w, "name\t%s\n", termsafe.String(conn.Name))
			fmt.Fprintf(w, "connection_type\t%s\n", termsafe.String(conn.Type))
			for _, k := range slices.Sorted(maps.Keys(conn.Fields)) {
				// Field prints secrets as ********; termsafe escapes what would act on the terminal.
				fmt.Fprintf(w, "%s\t%s\n", termsafe.String(k), termsafe.String(conn.Fields[k].String()))
			}
			fmt.Fprintf(w, "version\t%d\n", conn.Version)
			fmt.Fprintf(w, "updated\t%s\n", conn.UpdatedAt.Local().Format(time.DateTime))
			return w.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the create payload, secrets redacted")
	return c
}
