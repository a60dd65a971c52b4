package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
)

func init() { connCommands = append(connCommands, newConnExport, newConnImport) }

// exportFormat is the version of the export file.
const exportFormat = 1

// exportFile is what vap conn export writes and vap conn import reads.
type exportFile struct {
	Format      int              `json:"vap_connections"`
	Secrets     string           `json:"secrets"` // "sealed" or "plaintext"
	Connections []exportedRecord `json:"connections"`
}

// exportedRecord is one connection: plain fields, and its secrets either
// sealed (Tink ciphertext that only the same keyset opens) or in plaintext.
type exportedRecord struct {
	Name    string            `json:"name"`
	Type    string            `json:"connection_type"`
	Fields  map[string]string `json:"fields"`
	Sealed  map[string]string `json:"sealed,omitempty"`
	Secrets map[string]string `json:"secrets,omitempty"`
	// Refs are the fields given as secret references, as is: a reference
	// is not a secret (the store seals it only to bind it to the
	// connection).
	Refs map[string]string `json:"refs,omitempty"`
}

const maxExportFile = 64 << 20

func newConnExport(a *app) *cobra.Command {
	var output string
	var reveal bool
	c := &cobra.Command{
		Use:   "export [NAME…] [--output FILE] [--reveal-secrets]",
		Short: "Write stored connections to a file, secrets sealed, for vap conn import",
		Long: `Write the stored connections (all, or the NAMEs given) as JSON for vap conn import.
Secrets stay sealed as the store holds them: the file opens only in a store that
has the same keyset, and nothing is decrypted to write it. --reveal-secrets writes
every secret in plaintext instead (for a store with another keyset); treat that
file as the secrets themselves. VAP_CONN_* variables are not exported.
--output writes the file with mode 0600.`,
		Example: `  vap conn export --output conns.json
  vap --store postgres://team-db/vap conn import conns.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			f, err := a.export(ctx, args, reveal)
			if err != nil {
				return err
			}
			b, err := json.MarshalIndent(f, "", "  ")
			if err != nil {
				return err
			}
			b = append(b, '\n')
			if reveal {
				fmt.Fprintln(a.stderr, "vap: WARNING: --reveal-secrets: the export holds every secret in plaintext")
			}
			if output == "" {
				_, err = a.stdout.Write(b)
				return err
			}
			return writeNewFile(output, b)
		},
	}
	c.Flags().StringVar(&output, "output", "", "write to FILE (mode 0600) instead of standard output")
	c.Flags().BoolVar(&reveal, "reveal-secrets", false, "write secrets in PLAINTEXT instead of sealed")
	return c
}

// export builds the export of names (all when empty).
func (a *app) export(ctx context.Context, names []string, reveal bool) (*exportFile, error) {
	st := a.store()
	recs, err := st.Sealed(ctx)
	if err != nil {
		return nil, err
	}
	if len(names) > 0 {
		for _, n := range names {
			if !slices.ContainsFunc(recs, func(r *backend.Record) bool { return r.Name == n }) {
				return nil, &store.NotFoundError{Name: n}
			}
		}
		recs = slices.DeleteFunc(recs, func(r *backend.Record) bool { return !slices.Contains(names, r.Name) })
	}
	f := &exportFile{Format: exportFormat, Secrets: "sealed", Connections: []exportedRecord{}}
	if reveal {
		f.Secrets = "plaintext"
	}
	for _, r := range recs {
		e := exportedRecord{Name: r.Name, Type: r.Type, Fields: map[string]string{}}
		hasRef := false
		for k, v := range r.Fields {
			switch {
			case !v.Secret:
				e.Fields[k] = v.Value
			case v.Ref:
				hasRef = true
			case !reveal:
				if e.Sealed == nil {
					e.Sealed = map[string]string{}
				}
				e.Sealed[k] = v.Value
			}
		}
		if hasRef && !reveal {
			// Open the record for its references only; its secrets stay
			// sealed as they are.
			c, err := st.Get(ctx, r.Name)
			if err != nil {
				return nil, err
			}
			e.Refs = c.Refs()
		}
		if reveal {
			c, err := st.Get(ctx, r.Name)
			if err != nil {
				return nil, err
			}
			a.secrets = append(a.secrets, c.SecretValues()...)
			e.Refs = c.Refs()
			for k, v := range c.Fields {
				if v.Secret {
					if e.Secrets == nil {
						e.Secrets = map[string]string{}
					}
					e.Secrets[k] = v.Value
				}
			}
		}
		f.Connections = append(f.Connections, e)
	}
	return f, nil
}

// writeNewFile writes b to path with mode 0600 (replacing a file there).
func writeNewFile(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func newConnImport(a *app) *cobra.Command {
	var overwrite, dryRun bool
	c := &cobra.Command{
		Use:   "import FILE [--overwrite] [--dry-run]",
		Short: "Store the connections of a vap conn export file, all or nothing",
		Long: `Store the connections of a file vap conn export wrote (- reads standard input).
A name the store already has is skipped, or replaced with --overwrite. Prints a line
per connection (created, skipped, overwritten) and the totals.

All or nothing: the whole file is read, every sealed secret opened with this store's
keyset and every connection validated before anything is written; a bad file, a
foreign keyset or an invalid connection changes nothing. Should a write fail
midway, the connections already written are put back as they were.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.importFile(cmd.Context(), args[0], overwrite, dryRun)
		},
	}
	c.Flags().BoolVar(&overwrite, "overwrite", false, "replace connections the store already has")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "check the file and print what would happen; write nothing")
	return c
}

// importFile runs vap conn import.
func (a *app) importFile(ctx context.Context, file string, overwrite, dryRun bool) error {
	r, closeFn, err := openInput(a, file)
	if err != nil {
		return err
	}
	defer closeFn()
	data, err := io.ReadAll(io.LimitReader(r, maxExportFile+1))
	if err != nil {
		return err
	}
	if len(data) > maxExportFile {
		return fmt.Errorf("%s: larger than %d MiB; nothing was imported", file, maxExportFile>>20)
	}
	var f exportFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("%s is not a vap conn export file: %v; nothing was imported", file, jsonError(err))
	}
	if dec.More() {
		return fmt.Errorf("%s: data after the export object; nothing was imported", file)
	}
	if f.Format != exportFormat || (f.Secrets != "sealed" && f.Secrets != "plaintext") {
		return fmt.Errorf("%s: not a vap conn export file (vap_connections %d, secrets %s); nothing was imported", file, f.Format, quote(f.Secrets))
	}
	st := a.store()
	// Check everything before writing anything.
	conns := make([]*store.Connection, 0, len(f.Connections))
	seen := map[string]bool{}
	for i, e := range f.Connections {
		c, err := a.importedConn(ctx, st, e)
		if err != nil {
			return fmt.Errorf("%s: connection %d (%s): %w; nothing was imported", file, i+1, quote(e.Name), err)
		}
		if seen[c.Name] {
			return fmt.Errorf("%s: connection %s appears twice; nothing was imported", file, quote(c.Name))
		}
		seen[c.Name] = true
		conns = append(conns, c)
	}
	stored, err := st.List(ctx)
	if err != nil {
		return err
	}
	versions := map[string]int64{}
	for _, c := range stored {
		versions[c.Name] = c.Version
	}
	olds := map[string]*store.Connection{}
	if overwrite {
		for _, c := range conns {
			if _, ok := versions[c.Name]; ok {
				old, err := st.Get(ctx, c.Name)
				if err != nil {
					return fmt.Errorf("cannot read %s to replace it: %w; nothing was imported", quote(c.Name), err)
				}
				a.secrets = append(a.secrets, old.SecretValues()...)
				olds[c.Name] = old
			}
		}
	}
	verb := map[bool]string{false: "", true: "would be "}[dryRun]
	var created, skipped, replaced int
	var undo []func() error
	for _, c := range conns {
		old, exists := olds[c.Name]
		_, stored := versions[c.Name]
		switch {
		case stored && !exists:
			skipped++
			fmt.Fprintf(a.stdout, "%sskipped     %s (exists; --overwrite replaces it)\n", verb, escape(c.Name))
			continue
		case dryRun && exists:
			replaced++
			fmt.Fprintf(a.stdout, "%soverwritten %s\n", verb, escape(c.Name))
			continue
		case dryRun:
			created++
			fmt.Fprintf(a.stdout, "%screated     %s\n", verb, escape(c.Name))
			continue
		case exists:
			c.Version = old.Version
			if err := st.Update(ctx, c); err != nil {
				return a.rollback(ctx, c.Name, err, undo)
			}
			undo = append(undo, func() error {
				restore := old.Clone()
				restore.Version = c.Version
				return st.Update(context.WithoutCancel(ctx), restore)
			})
			replaced++
			fmt.Fprintf(a.stdout, "overwritten %s\n", escape(c.Name))
		default:
			if err := st.Create(ctx, c); err != nil {
				return a.rollback(ctx, c.Name, err, undo)
			}
			name := c.Name
			undo = append(undo, func() error { return st.Delete(context.WithoutCancel(ctx), name) })
			created++
			fmt.Fprintf(a.stdout, "created     %s\n", escape(c.Name))
		}
	}
	fmt.Fprintf(a.stdout, "%d created, %d skipped, %d overwritten%s\n", created, skipped, replaced, map[bool]string{false: "", true: " (dry run: nothing written)"}[dryRun])
	return nil
}

// importedConn checks one exported connection and opens its secrets.
func (a *app) importedConn(ctx context.Context, st *store.Store, e exportedRecord) (*store.Connection, error) {
	if err := store.ValidateName(e.Name); err != nil {
		return nil, err
	}
	if e.Type == "" {
		return nil, errors.New(`no "connection_type"`)
	}
	rec := &backend.Record{Name: e.Name, Type: e.Type, Fields: map[string]backend.SealedField{}}
	for k, v := range e.Fields {
		rec.Fields[k] = backend.SealedField{Value: v}
	}
	for k, v := range e.Sealed {
		if _, dup := rec.Fields[k]; dup {
			return nil, fmt.Errorf("field %s is both plain and sealed", quote(k))
		}
		rec.Fields[k] = backend.SealedField{Value: v, Secret: true}
	}
	c, err := st.OpenSealed(ctx, rec)
	if err != nil {
		return nil, err
	}
	for k, v := range e.Secrets {
		if _, dup := c.Fields[k]; dup {
			return nil, fmt.Errorf("field %s appears twice", quote(k))
		}
		a.secrets = append(a.secrets, v)
		c.Set(k, v, true)
	}
	for k, v := range e.Refs {
		if _, dup := c.Fields[k]; dup {
			return nil, fmt.Errorf("field %s appears twice", quote(k))
		}
		c.SetRef(k, v)
	}
	a.secrets = append(a.secrets, c.SecretValues()...)
	if err := store.Validate(c.Clone(), st.Registry()); err != nil {
		return nil, err
	}
	return c, nil
}

// rollback undoes the writes made so far, newest first, and words the error.
func (a *app) rollback(ctx context.Context, name string, cause error, undo []func() error) error {
	var failed []string
	for i := len(undo) - 1; i >= 0; i-- {
		if err := undo[i](); err != nil {
			failed = append(failed, err.Error())
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("import stopped at %s: %w; undoing the %d earlier writes failed for %d of them: %s", quote(name), cause, len(undo), len(failed), strings.Join(failed, "; "))
	}
	return fmt.Errorf("import stopped at %s: %w; the %d earlier writes were undone, the store is as it was", quote(name), cause, len(undo))
}

// jsonError words a JSON decoding error without quoting the input.
func jsonError(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("%s must be a %s, at byte %d", te.Field, te.Type, te.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the JSON ends early"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
