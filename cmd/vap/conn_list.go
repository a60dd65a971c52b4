package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func init() { connCommands = append(connCommands, newConnList) }

// listedConn is a line of vap conn list -o json.
type listedConn struct {
	Name    string     `json:"name"`
	Type    string     `json:"connection_type"`
	Source  string     `json:"source"`
	EnvVar  string     `json:"env_var,omitempty"`
	Version int64      `json:"version,omitempty"`
	Updated *time.Time `json:"updated,omitempty"`
	Error   string     `json:"error,omitempty"`
}

func newConnList(a *app) *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "list",
		Short: "List the connections: stored ones and VAP_CONN_* overrides (no secret is decrypted)",
		Long: `List the connections vap can open by name: the stored ones and those a VAP_CONN_<NAME>
variable defines. SOURCE says where each comes from: store, env VAR (only the
variable), or env VAR (overrides the store) when a variable shadows a stored
connection of that name. No secret is decrypted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			es, err := a.entries(cmd.Context())
			if err != nil {
				return err
			}
			if output == "json" {
				out := make([]listedConn, 0, len(es))
				for _, e := range es {
					l := listedConn{Name: e.Name, Type: e.Type, Source: e.Source(), EnvVar: e.EnvVar, Version: e.Version}
					if e.Stored && e.EnvVar == "" {
						u := e.conn.UpdatedAt.UTC()
						l.Updated = &u
					}
					if e.envErr != nil {
						l.Error = e.EnvVar + " does not parse"
					}
					out = append(out, l)
				}
				return writeJSON(a, out)
			}
			w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tTYPE\tVERSION\tUPDATED\tSOURCE")
			for _, e := range es {
				version, updated := "-", "-"
				if e.Stored && e.EnvVar == "" {
					version, updated = fmt.Sprint(e.Version), e.conn.UpdatedAt.Local().Format(time.DateTime)
				}
				typ := e.Type
				if e.envErr != nil {
					typ = "(invalid)"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", escape(e.Name), escape(typ), version, updated, e.Source())
			}
			return w.Flush()
		},
	}
	addOutputFlag(c, &output)
	return c
}

// addOutputFlag adds -o/--output table|json.
func addOutputFlag(c *cobra.Command, output *string) {
	c.Flags().StringVarP(output, "output", "o", "table", "output format: table or json")
}

func checkOutput(output string) error {
	if output != "table" && output != "json" {
		return usagef("--output must be table or json, not %s", quote(output))
	}
	return nil
}

// writeJSON prints v as one line of JSON.
func writeJSON(a *app, v any) error { return json.NewEncoder(a.stdout).Encode(v) }
