package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/internal/termsafe"
)

func init() { connCommands = append(connCommands, newConnList) }

func newConnList(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List stored connections (no secret is decrypted)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			conns, err := a.store().List(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tTYPE\tVERSION\tUPDATED")
			for _, c := range conns {
				fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", termsafe.String(c.Name), termsafe.String(c.Type), c.Version, c.UpdatedAt.Local().Format(time.DateTime))
			}
			return w.Flush()
		},
	}
}
