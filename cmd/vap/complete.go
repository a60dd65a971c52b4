package main

import (
	"context"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/registry"
)

// Shell completion (cobra's "vap completion bash|zsh|fish|powershell"):
// connection names from the store and VAP_CONN_* variables, connection
// types from the registry, formats from the command's list.

// completeNames completes connection names; max is how many NAME arguments
// the command takes (-1: any number).
func completeNames(a *app, max int) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if max >= 0 && len(args) >= max {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		ctx := cmd.Context()
		if ctx == nil {
			ctx = context.Background()
		}
		es, err := a.entries(ctx)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
		}
		var out []cobra.Completion
		for _, e := range es {
			if strings.HasPrefix(e.Name, toComplete) && !slices.Contains(args, e.Name) {
				out = append(out, cobra.CompletionWithDesc(e.Name, e.Type))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeWords completes a flag from a fixed list.
func completeWords(words ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp)
}

// completeTypes completes connection types.
func completeTypes(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, n := range registry.Default.Names() {
		if strings.HasPrefix(n, toComplete) {
			out = append(out, n)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completion wires the completion functions into the command tree, by
// command path.
func completion(a *app, root *cobra.Command) {
	names := map[string]int{
		"vap conn show": 1, "vap conn delete": 1, "vap conn test": 1, "vap conn update": 1,
		"vap conn export": -1, "vap query": 1,
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if n, ok := names[c.CommandPath()]; ok {
			c.ValidArgsFunction = completeNames(a, n)
		}
		if f := c.Flags().Lookup("type"); f != nil {
			c.RegisterFlagCompletionFunc("type", completeTypes)
		}
		switch c.CommandPath() {
		case "vap query":
			c.RegisterFlagCompletionFunc("format", completeWords(formats...))
		case "vap conn list", "vap conn show":
			c.RegisterFlagCompletionFunc("output", completeWords("table", "json"))
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
}
