package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { connCommands = append(connCommands, newConnDelete) }

func newConnDelete(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a stored connection",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.store().Delete(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "deleted connection %q\n", args[0])
			return nil
		},
	}
}
