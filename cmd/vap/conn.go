package main

import "github.com/spf13/cobra"

// connCommands lists the constructors of "vap conn" subcommands.
var connCommands []func(*app) *cobra.Command

func init() {
	commands = append(commands, func(a *app) *cobra.Command {
		c := &cobra.Command{Use: "conn", Short: "Create, list, show, update, test, export, import and delete connections"}
		for _, f := range connCommands {
			c.AddCommand(f(a))
		}
		return c
	})
}
