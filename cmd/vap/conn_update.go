package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/store"
)

func init() { connCommands = append(connCommands, newConnUpdate) }

func newConnUpdate(a *app) *cobra.Command {
	var sets, secrets, refs, unsets []string
	var ifVersion int64
	c := &cobra.Command{
		Use:   "update NAME [--set FIELD=VALUE]… [--secret FIELD[=VALUE]]… [--ref FIELD=SCHEME:REST]… [--unset FIELD]…",
		Short: "Change some fields of a stored connection, keeping the others",
		Long: `Change the given fields of a stored connection; every other field, secrets
included, stays as it is. --secret FIELD without a value prompts for it (echo off)
at a terminal, else reads one line of standard input.

The update is a compare-and-swap on the connection's version, as the REST
endpoint's If-Match: when another writer changed the connection between vap
reading it and writing it back, nothing is written and vap exits 1. --if-version N
makes the update apply only to version N (the version vap conn show printed).`,
		Example: `  vap conn update pg --set host=db2.internal --set port=5433
  vap conn update pg --secret password            # prompts, echo off
  vap conn update pg --ref password=file:/run/secrets/pg
  vap conn update pg --unset options.sslmode --if-version 4`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(sets)+len(secrets)+len(refs)+len(unsets) == 0 {
				return usagef("nothing to change: give --set, --secret, --ref or --unset")
			}
			ctx := cmd.Context()
			st := a.store()
			conn, err := st.Get(ctx, args[0])
			if err != nil {
				return err
			}
			a.secrets = append(a.secrets, conn.SecretValues()...)
			if ifVersion > 0 && conn.Version != ifVersion {
				return fmt.Errorf("connection %s is at version %d, not %d (--if-version): %w; nothing was changed", quote(conn.Name), conn.Version, ifVersion, store.ErrConflict)
			}
			changes, err := connFromFlags(a, conn.Name, conn.Type, sets, secrets, refs...)
			if err != nil {
				return err
			}
			for _, k := range unsets {
				if _, ok := conn.Fields[k]; !ok {
					return usagef("--unset %s: the connection has no such field", quote(k))
				}
				if slices.ContainsFunc(sets, func(s string) bool { return strings.HasPrefix(s, k+"=") }) {
					return usagef("--unset %s and --set %s: choose one", quote(k), quote(k))
				}
				delete(conn.Fields, k)
			}
			for k, f := range changes.Fields {
				if old, ok := conn.Fields[k]; ok && old.Secret && !f.Secret && !f.Ref {
					return usagef("field %s is secret: change it with --secret %s or --ref %s=SCHEME:REST", quote(k), k, k)
				}
				conn.Fields[k] = f
			}
			err = st.Update(ctx, conn)
			if errors.Is(err, store.ErrConflict) {
				return fmt.Errorf("%w: another writer changed %s since it was read; nothing was changed, run the update again", err, quote(conn.Name))
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "updated connection %s (%s, version %d)\n", quote(conn.Name), escape(conn.Type), conn.Version)
			return nil
		},
	}
	c.Flags().StringArrayVar(&sets, "set", nil, "plain field, FIELD=VALUE (repeatable)")
	c.Flags().StringArrayVar(&secrets, "secret", nil, "encrypted field, FIELD=VALUE, or FIELD to be prompted / read from standard input (repeatable)")
	c.Flags().StringArrayVar(&refs, "ref", nil, "field resolved at connect time, FIELD=SCHEME:REST (repeatable)")
	c.Flags().StringArrayVar(&unsets, "unset", nil, "remove FIELD (repeatable)")
	c.Flags().Int64Var(&ifVersion, "if-version", 0, "update only if the stored version is N (as If-Match)")
	return c
}
