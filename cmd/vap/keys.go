package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/keyset"
)

func init() { commands = append(commands, newKeys) }

func newKeys(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "keys",
		Short: "List, rotate and retire the keys that encrypt stored secrets",
		Long: `The keyset ($VAP_KEYSET_FILE, else $VAP_HOME/keyset.json) encrypts every stored secret.

  vap keys init            create a keyset file for a team's shared store (no store is created)
  vap keys list            the keys, which one is primary, how many secrets each seals
  vap keys rotate          add a new primary key and re-encrypt every secret with it (one host)
  vap keys retire KEYID    delete an old key once no secret opens only with it

A team whose hosts each hold a copy of the keyset rotates in two phases:
  vap keys add             add a key, not primary; copy the keyset file to every host
  vap keys reencrypt KEYID make it the primary and re-encrypt; copy the file again
  vap keys retire OLDID    once every host has it (run reencrypt again first if refused)

Rotation writes the new keyset (old keys kept) before re-encrypting, and re-encrypts
in one transaction: an interruption leaves every secret readable; run it again.`,
	}
	c.AddCommand(newKeysInit(a), newKeysList(a), newKeysRotate(a), newKeysRetire(a), newKeysAdd(a), newKeysReencrypt(a))
	return c
}

func newKeysList(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the keyset's keys and how many stored secrets each one seals",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ks, err := a.store().Keys(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "KEYID\tSTATUS\tPRIMARY\tSECRETS")
			for _, k := range ks {
				p := ""
				if k.Primary {
					p = "yes"
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%d\n", k.ID, k.Status, p, k.Secrets)
			}
			return w.Flush()
		},
	}
}

func newKeysRotate(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "rotate",
		Short: "Add a new primary key and re-encrypt every stored secret with it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := a.store().RotateKey(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "new primary key %d; every secret re-encrypted with it (retire old keys with vap keys retire KEYID)\n", k.ID)
			return nil
		},
	}
}

func newKeysRetire(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "retire KEYID",
		Short: "Delete a key from the keyset; refused while a secret uses it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseUint(args[0], 10, 32)
			if err != nil {
				return usagef("KEYID must be a key id as vap keys list shows it, got %q", args[0])
			}
			if err := a.store().RetireKey(cmd.Context(), uint32(id)); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "retired key %d\n", id)
			return nil
		},
	}
}

func newKeysInit(a *app) *cobra.Command {
	var file string
	c := &cobra.Command{
		Use:   "init [--file PATH]",
		Short: "Create a new keyset file (mode 0600) and nothing else",
		Long: `Create a new keyset file for a team: at --file, else $VAP_KEYSET_FILE, else
$VAP_HOME/keyset.json; mode 0600, its directory 0700. No store is opened or
created. An existing file is never overwritten. Hand the file to every process
that uses the shared store, through VAP_KEYSET_FILE (or its JSON through VAP_KEYSET).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			path := file
			if path == "" {
				path = os.Getenv(store.EnvKeysetFile)
			}
			if path == "" {
				home, err := store.Home(nil)
				if err != nil {
					return err
				}
				path = filepath.Join(home, store.KeysetFileName)
			}
			if _, err := os.Lstat(path); err == nil {
				return fmt.Errorf("keyset file %s already exists; vap keys init never overwrites a keyset (vap keys rotate adds a key to it)", escape(path))
			}
			h, err := keyset.LoadOrCreate(path)
			if err != nil {
				return err
			}
			id := h.Primary()
			fmt.Fprintf(a.stdout, "created keyset %s (primary key %d); give it to every process of the team: export %s=%s\n", escape(path), id, store.EnvKeysetFile, escape(path))
			return nil
		},
	}
	c.Flags().StringVar(&file, "file", "", "where to write the keyset (default $VAP_KEYSET_FILE, else $VAP_HOME/keyset.json)")
	return c
}
