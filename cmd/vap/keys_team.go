package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"
)

// The two-phase rotation for a team whose hosts each hold a copy of the
// keyset: keys add, distribute, keys reencrypt, distribute, keys retire.

func newKeysAdd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "add",
		Short: "Add a new key, not yet primary: distribute the keyset, then vap keys reencrypt KEYID",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := a.store().AddKey(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "added key %d (not primary: nothing is sealed with it yet); copy the keyset file to every host, then run vap keys reencrypt %d\n", k.ID, k.ID)
			return nil
		},
	}
}

func newKeysReencrypt(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "reencrypt [KEYID]",
		Short: "Make KEYID the primary key and re-encrypt every stored secret with it (no KEYID: the current primary)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var id uint64
			if len(args) == 1 {
				var err error
				if id, err = strconv.ParseUint(args[0], 10, 32); err != nil || id == 0 {
					return usagef("KEYID must be a key id as vap keys list shows it")
				}
			}
			if err := a.store().ReencryptWith(cmd.Context(), uint32(id)); err != nil {
				return err
			}
			if id != 0 {
				fmt.Fprintf(a.stdout, "key %d is the primary; every secret re-encrypted with it; copy the keyset file to every host, then retire the old key (vap keys retire KEYID)\n", id)
			} else {
				fmt.Fprintln(a.stdout, "every secret re-encrypted with the primary key")
			}
			return nil
		},
	}
}
