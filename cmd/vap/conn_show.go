package main

import (
	"encoding/json"
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
	var output string
	c := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a connection as vap would open it, secrets as ********",
		Long: `Show a connection as vap would open it, secrets as ********: from its VAP_CONN_<NAME>
variable when one is set (source says so, and which stored version it shadows),
else from the store. -o json prints the platform's create payload with a "source"
member added.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON {
				output = "json"
			}
			if err := checkOutput(output); err != nil {
				return err
			}
			conn, e, err := a.resolve(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if output == "json" {
				b, err := store.EncodePayload(conn, false)
				if err != nil {
					return err
				}
				var m map[string]any
				if err := json.Unmarshal(b, &m); err != nil {
					return err
				}
				m["source"] = e.Source()
				if e.Stored {
					m["version"] = e.Version
				}
				return writeJSON(a, m)
			}
			w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(w, "name\t%s\n", escape(conn.Name))
			fmt.Fprintf(w, "connection_type\t%s\n", escape(conn.Type))
			for _, k := range slices.Sorted(maps.Keys(conn.Fields)) {
				fmt.Fprintf(w, "%s\t%s\n", escape(k), escape(conn.Fields[k].String())) // Field prints secrets as ********
			}
			fmt.Fprintf(w, "source\t%s\n", e.Source())
			switch {
			case e.EnvVar != "" && e.Stored:
				fmt.Fprintf(w, "stored_version\t%d (not used while %s is set)\n", e.Version, e.EnvVar)
			case e.EnvVar == "":
				fmt.Fprintf(w, "version\t%d\n", conn.Version)
				fmt.Fprintf(w, "updated\t%s\n", conn.UpdatedAt.Local().Format(time.DateTime))
			}
			return w.Flush()
		},
	}
	addOutputFlag(c, &output)
	c.Flags().BoolVar(&asJSON, "json", false, "same as -o json")
	c.Flags().MarkHidden("json")
	return c
}
