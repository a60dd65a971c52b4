package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/store"
)

func init() { connCommands = append(connCommands, newConnCreate) }

func newConnCreate(a *app) *cobra.Command {
	var file, typ string
	var sets, secrets, refs []string
	var replace bool
	c := &cobra.Command{
		Use:   "create [NAME] (-f FILE | --type TYPE --set FIELD=VALUE… --secret FIELD[=VALUE]… --ref FIELD=SCHEME:REST…)",
		Short: "Store a connection, its secrets encrypted",
		Long: `Store a connection.

From the platform's create payload (a file, or - for standard input):
  vap conn create -f payload.json
  {"name": "my-postgres-connection", "connection_data": {"connection_type": "postgresql",
   "user_name": "ben", "password": {"value": "secret-password", "encrypt": true},
   "host": "localhost", "port": 5432, "dbname": "test"}}

Or field by field:
  vap conn create my-postgres-connection --type postgresql --set host=localhost \
    --set user_name=ben --set dbname=test --secret password

--secret FIELD without a value prompts for it with echo off at a terminal, and
otherwise reads one line of standard input, so it stays out of shell history. Driver options are fields named options.KEY.

--ref FIELD=SCHEME:REST (in a payload: "password": {"ref": "env:PGPASSWORD"})
stores where the value is found at connect time instead of the value: env:VAR,
file:/path, vault:MOUNT/PATH#KEY, vault-db:MOUNT/ROLE, aws-sm:SECRET_ID#KEY.
The reference is not a secret: show and export print it as is.
  vap conn create pg --type postgresql --set host=db --set user_name=app \
    --ref password=env:PGPASSWORD`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var conn *store.Connection
			switch {
			case file != "" && (len(args) > 0 || typ != "" || len(sets) > 0 || len(secrets) > 0 || len(refs) > 0):
				return usagef("use either -f FILE or NAME --type with --set/--secret/--ref, not both")
			case file != "":
				r, closeFn, err := openInput(a, file)
				if err != nil {
					return err
				}
				defer closeFn()
				conn, err = store.DecodePayload(r)
				if err != nil {
					return err
				}
			case len(args) == 1 && typ != "":
				var err error
				conn, err = connFromFlags(a, args[0], typ, sets, secrets, refs...)
				if err != nil {
					return err
				}
			default:
				return usagef("give -f FILE, or NAME with --type (see vap conn create --help)")
			}
			a.secrets = append(a.secrets, conn.SecretValues()...)
			ctx := cmd.Context()
			st := a.store()
			if replace {
				// Replace keeps a secret given as ******** (what show
				// prints) and needs no stored secret to open otherwise.
				err := st.Replace(ctx, conn)
				if err == nil {
					fmt.Fprintf(a.stdout, "updated connection %q (%s, version %d)\n", conn.Name, conn.Type, conn.Version)
					return nil
				}
				if !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
			err := st.Create(ctx, conn)
			if errors.Is(err, store.ErrExists) {
				return fmt.Errorf("%w (use --replace to overwrite it)", err)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "created connection %q (%s, version %d)\n", conn.Name, conn.Type, conn.Version)
			return nil
		},
	}
	c.Flags().StringVarP(&file, "file", "f", "", "payload file, or - for standard input")
	c.Flags().StringVar(&typ, "type", "", "connection type (postgresql, mysql, sqlite, …)")
	c.Flags().StringArrayVar(&sets, "set", nil, "plain field, FIELD=VALUE (repeatable)")
	c.Flags().StringArrayVar(&secrets, "secret", nil, "encrypted field, FIELD=VALUE, or FIELD to read the value from standard input (repeatable)")
	c.Flags().StringArrayVar(&refs, "ref", nil, "field resolved at connect time, FIELD=SCHEME:REST (env:VAR, file:/path, vault:…; repeatable)")
	c.Flags().BoolVar(&replace, "replace", false, "overwrite an existing connection of that name")
	return c
}

func openInput(a *app, file string) (io.Reader, func(), error) {
	if file == "-" {
		return a.stdin, func() {}, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

func connFromFlags(a *app, name, typ string, sets, secrets []string, refs ...string) (*store.Connection, error) {
	if err := store.ValidateName(name); err != nil {
		return nil, err
	}
	conn := &store.Connection{Name: name, Type: typ}
	for i, s := range sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			// Not echoed: a mistyped "--set password:…" must not print the value.
			return nil, usagef("--set wants FIELD=VALUE (the --set number %d has no field name and '=')", i+1)
		}
		conn.Set(k, v, false)
	}
	var in *bufio.Reader
	for _, s := range secrets {
		k, v, ok := strings.Cut(s, "=")
		if k == "" {
			return nil, usagef("--secret wants FIELD=VALUE or FIELD")
		}
		if !ok {
			var err error
			if v, ok, err = promptSecret(a, name, k); err != nil {
				return nil, err
			}
			if !ok {
				if in == nil {
					in = bufio.NewReader(a.stdin)
				}
				line, err := in.ReadString('\n')
				if err != nil && (err != io.EOF || line == "") {
					return nil, fmt.Errorf("--secret %s: no value on standard input", k)
				}
				v = strings.TrimRight(line, "\r\n")
			}
		}
		a.secrets = append(a.secrets, v)
		conn.Set(k, v, true)
	}
	for _, s := range refs {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" || v == "" {
			return nil, usagef("--ref wants FIELD=SCHEME:REST, as password=env:PGPASSWORD")
		}
		if _, dup := conn.Fields[k]; dup {
			return nil, usagef("field %s is given twice (--ref and --set or --secret): choose one", quote(k))
		}
		conn.SetRef(k, v)
	}
	return conn, nil
}
