package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vapsql/vap/odbc"
	"github.com/vapsql/vap/transfer"
)

func init() { commands = append(commands, newCopy) }

// copyFlags are vap copy's options.
type copyFlags struct {
	query, file, table string
	create             bool
	batch              int
	params             []string
	timeout            time.Duration
	progress           string
}

func newCopy(a *app) *cobra.Command {
	var f copyFlags
	c := &cobra.Command{
		Use:   "copy SRC DST (--query SQL | -f FILE) --table TABLE [--create] [--batch N]",
		Short: "Copy a query's result from one stored connection into a table of another",
		Long: `Run a query on connection SRC and write its rows into TABLE on connection DST,
streaming (memory stays flat however many rows), with the target's bulk path:
COPY FROM STDIN on PostgreSQL, LOAD DATA LOCAL INFILE on MySQL/MariaDB (when
the server's local_infile is ON), bulk copy on SQL Server, multi-row INSERTs
elsewhere (SQLite, Redshift), all in one transaction.

The result's columns go into the table's columns of the same names. With
--create the table is created (it must not exist), its column types mapped
from the result's (see the README's type-mapping table); on MySQL, whose DDL
commits, it is loaded under a staging name and renamed at the end.

All or nothing: a bad value, a constraint violated at row N, the source
failing midway or Ctrl-C (SIGINT/SIGTERM: the source statement is cancelled
on its server and the load rolled back, then exit 130) leave the target as it
was. A progress line (rows, rows/s) is shown on standard error when it is a
terminal.`,
		Example: `  vap copy pg my --query 'SELECT * FROM orders WHERE placed >= $1' --param 2024-01-01 --table orders
  vap copy my pg -f export.sql --table archive.orders_2023 --create`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.copy(cmd.Context(), args, f)
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.query, "query", "", "the statement whose rows are copied")
	fl.StringVarP(&f.file, "file", "f", "", "read the statement from FILE (- for standard input)")
	fl.StringVar(&f.table, "table", "", "the target table: NAME or SCHEMA.NAME")
	fl.BoolVar(&f.create, "create", false, "create the table (it must not exist)")
	fl.IntVar(&f.batch, "batch", transfer.DefaultBatch, "rows read from the source at a time")
	fl.StringArrayVar(&f.params, "param", nil, "bind parameter value of the query, in placeholder order (repeatable)")
	fl.DurationVar(&f.timeout, "timeout", 0, "cancel the copy after this long, e.g. 10m (0: no timeout)")
	fl.StringVar(&f.progress, "progress", "auto", "progress line on standard error: auto (when it is a terminal), always, never")
	return c
}

// copy runs vap copy.
func (a *app) copy(ctx context.Context, args []string, f copyFlags) error {
	switch {
	case f.table == "":
		return usagef("--table is required")
	case f.batch < 1:
		return usagef("--batch must be 1 or more")
	case f.timeout < 0:
		return usagef("--timeout must be 0 or more")
	case f.progress != "auto" && f.progress != "always" && f.progress != "never":
		return usagef("--progress must be auto, always or never, not %s", quote(f.progress))
	}
	var query string
	switch {
	case f.query != "" && f.file != "":
		return usagef("give the statement with --query or -f FILE, not both")
	case f.query != "":
		query = f.query
	case f.file != "":
		q, err := a.statement(nil, f.file)
		if err != nil {
			return err
		}
		query = q
	default:
		return usagef(`missing the statement: give --query "SQL" or -f FILE`)
	}
	for _, name := range args {
		if _, err := a.connector(name); err != nil {
			return err
		}
	}
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, f.timeout, fmt.Errorf("--timeout %s reached", f.timeout))
		defer cancel()
	}
	client := odbc.New(odbc.WithStore(a.store()))
	defer client.Close()
	src, err := client.DB(args[0], nil)
	if err != nil {
		return err
	}
	dst, err := client.DB(args[1], nil)
	if err != nil {
		return err
	}
	params := make([]any, len(f.params))
	for i, p := range f.params {
		params[i] = p
	}
	p := newProgress(a.stderr, f.progress)
	res, err := transfer.Copy(ctx, src, dst, transfer.Options{
		Query: query, Args: params, Table: f.table, Create: f.create, Batch: f.batch, Progress: p.update,
	})
	p.end()
	if err != nil {
		switch {
		case errors.Is(context.Cause(ctx), context.Canceled):
			return errors.New("interrupted: the copy was cancelled and rolled back; the target is as it was")
		case ctx.Err() != nil:
			return fmt.Errorf("copy cancelled (%v) and rolled back; the target is as it was", context.Cause(ctx))
		}
		return err
	}
	how := res.Method
	if res.Created {
		how = "created, " + how
	}
	fmt.Fprintf(a.stdout, "copied %d %s into %s (%s)\n", res.Rows, plural(res.Rows, "row", "rows"), escape(f.table), how)
	return nil
}

// progress draws "N rows, R rows/s" on one terminal line, at most five
// times a second.
type progress struct {
	w     io.Writer
	on    bool
	start time.Time
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer, mode string) *progress {
	on := mode == "always"
	if mode == "auto" {
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			on = true
		}
	}
	now := time.Now()
	return &progress{w: w, on: on, start: now, last: now}
}

func (p *progress) update(rows int64) {
	if !p.on {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	rate := float64(rows) / now.Sub(p.start).Seconds()
	fmt.Fprintf(p.w, "\r\x1b[K%d rows, %.0f rows/s", rows, rate)
	p.drawn = true
}

// end clears the line.
func (p *progress) end() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
