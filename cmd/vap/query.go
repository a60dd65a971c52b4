package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/spf13/cobra"

	"github.com/vapsql/vap/odbc"
	"github.com/vapsql/vap/registry"
)

func init() { commands = append(commands, newQuery) }

// queryFlags are vap query's options.
type queryFlags struct {
	format, file, output string
	params               []string
	timeout              time.Duration
	maxRows              int64
	maxBytes             string
}

func newQuery(a *app) *cobra.Command {
	var f queryFlags
	c := &cobra.Command{
		Use:   `query NAME ["SQL" | -f FILE]`,
		Short: "Run a statement through a stored connection and print its result as it arrives",
		Long: `Run one SQL statement through a stored connection and print the result while it
arrives: memory stays flat however many rows come back.

Formats (--format):
  table    aligned columns (sized by the first 1000 rows), NULL shown as NULL,
           control characters escaped; ends with "(N rows)"
  csv      RFC 4180 with a header row; NULL is an empty field
  tsv      header row, then PostgreSQL's text format: NULL is \N, tab,
           newline and backslash escaped with a backslash
  json     an array of objects (numbers stay numbers, times RFC 3339, NULL null)
  ndjson   one JSON object per line
Values are normalized as odbc normalizes them, the same on every backend.

The statement comes from the argument, or from a file with -f FILE (-f - reads
standard input). --param binds a value to the statement's placeholders in the
connection's own style ($1, $2 on PostgreSQL; ? on MySQL, SQLite; @p1 on SQL
Server; :1 on Oracle), in order; repeat it for each. A statement that returns no
rows prints its command tag (PostgreSQL) or how many rows it affected.

Ctrl-C (SIGINT) or SIGTERM cancels the statement on the server, then exits 130.`,
		Example: `  vap query pg 'SELECT * FROM orders WHERE id > $1' --param 1000 --format csv --output orders.csv
  vap query pg -f report.sql --format ndjson --max-rows 100
  echo "SELECT 1" | vap query my -f -`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.query(cmd.Context(), args, f)
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.format, "format", "table", "output format: one of "+strings.Join(formats, ", "))
	fl.StringVarP(&f.file, "file", "f", "", "read the statement from FILE (- for standard input)")
	fl.StringVar(&f.output, "output", "", "write the result to FILE instead of standard output")
	fl.StringArrayVar(&f.params, "param", nil, "bind parameter value, in placeholder order (repeatable)")
	fl.DurationVar(&f.timeout, "timeout", 0, "cancel the statement after this long, e.g. 30s (0: no timeout)")
	fl.Int64Var(&f.maxRows, "max-rows", 0, "print at most N rows, then stop the statement and say so (0: all rows)")
	fl.StringVar(&f.maxBytes, "max-bytes", "0", "stop once the rows read hold more than this much data, e.g. 512MB (0: no cap)")
	return c
}

// query runs vap query.
func (a *app) query(ctx context.Context, args []string, f queryFlags) error {
	if !slices.Contains(formats, f.format) {
		return usagef("--format must be one of %s, not %s", strings.Join(formats, ", "), quote(f.format))
	}
	if f.maxRows < 0 {
		return usagef("--max-rows must be 0 or more")
	}
	if f.timeout < 0 {
		return usagef("--timeout must be 0 or more")
	}
	maxBytes, err := parseSize(f.maxBytes)
	if err != nil {
		return usagef("--max-bytes: %v", err)
	}
	query, err := a.statement(args, f.file)
	if err != nil {
		return err
	}
	conn, err := a.connector(args[0])
	if err != nil {
		return err
	}
	var w io.Writer = a.stdout
	if f.output != "" {
		file, err := os.Create(f.output)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, f.timeout, fmt.Errorf("--timeout %s reached", f.timeout))
		defer cancel()
	}
	params := make([]any, len(f.params))
	for i, p := range f.params {
		params[i] = p
	}
	client := odbc.New(odbc.WithStore(a.store()))
	defer client.Close()
	db, err := client.DB(args[0], nil)
	if err != nil {
		return err
	}
	if exec, err := useExec(ctx, db, query); err != nil {
		return err
	} else if exec {
		n, err := execStatement(ctx, db, conn.Type(), query, params)
		if err != nil {
			return a.queryErr(ctx, query, err)
		}
		return a.report(f.format, w, fmt.Sprintf("%d %s affected", n, plural(n, "row", "rows")))
	}

	out := newOutput(w)
	s := newSink(f.format, out)
	var sum odbc.Summary
	var n int64
	var note string
	begun := false
	streamArgs := append([]any{odbc.MaxBytes(maxBytes), odbc.WithSummary(&sum)}, params...)
	for row, err := range client.Stream(ctx, query, args[0], streamArgs...) {
		if err != nil {
			if le := (*odbc.LimitError)(nil); errors.As(err, &le) && le.Limit == odbc.LimitBytes {
				note = fmt.Sprintf("stopped after %d %s: the result holds more than --max-bytes %s", n, plural(n, "row", "rows"), f.maxBytes)
				break
			}
			out.close()
			return a.queryErr(ctx, query, err)
		}
		if f.maxRows > 0 && n == f.maxRows {
			note = fmt.Sprintf("stopped after %d %s (--max-rows); the statement had more", n, plural(n, "row", "rows"))
			break
		}
		if !begun {
			if err := s.begin(row.Columns()); err != nil {
				out.close()
				return err
			}
			begun = true
		}
		if err := s.row(row); err != nil {
			out.close()
			return err
		}
		n++
	}
	if ctx.Err() != nil { // cancelled between rows: the stream ended quietly
		out.close()
		return a.queryErr(ctx, query, context.Cause(ctx))
	}
	if !begun && len(sum.Columns) == 0 {
		// No result set: a statement such as INSERT or CREATE.
		out.close()
		msg := sum.Tag
		if msg == "" {
			msg = "OK"
		}
		return a.report(f.format, w, msg)
	}
	if !begun {
		if err := s.begin(sum.Columns); err != nil {
			out.close()
			return err
		}
	}
	if err := s.end(n); err != nil {
		out.close()
		return err
	}
	if err := out.close(); err != nil {
		return err
	}
	if note != "" {
		fmt.Fprintln(a.stderr, "vap: "+note)
	}
	return nil
}

// statement returns the SQL from the argument or -f.
func (a *app) statement(args []string, file string) (string, error) {
	switch {
	case file != "" && len(args) == 2:
		return "", usagef(`give the statement as an argument or with -f FILE, not both`)
	case file == "" && len(args) < 2:
		return "", usagef(`missing the statement: give "SQL" or -f FILE`)
	case file == "":
		return args[1], nil
	}
	r, closeFn, err := openInput(a, file)
	if err != nil {
		return "", err
	}
	defer closeFn()
	b, err := io.ReadAll(io.LimitReader(r, 64<<20+1))
	if err != nil {
		return "", err
	}
	if len(b) > 64<<20 {
		return "", fmt.Errorf("%s: a statement over 64 MiB", file)
	}
	q := strings.TrimSpace(string(b))
	if q == "" {
		return "", fmt.Errorf("%s holds no statement", file)
	}
	return q, nil
}

// report prints what a statement without rows says: on standard output for
// the table format, on standard error for the machine formats (their output
// stays empty and parseable).
func (a *app) report(format string, w io.Writer, msg string) error {
	if format != "table" {
		w = a.stderr
	}
	_, err := fmt.Fprintln(w, msg)
	return err
}

// queryErr words a failed statement: a timeout or an interrupt says so, a
// server error keeps the statement for its position.
func (a *app) queryErr(ctx context.Context, query string, err error) error {
	switch {
	case errors.Is(context.Cause(ctx), context.Canceled) || (ctx.Err() != nil && errors.Is(err, context.Canceled)):
		return errors.New("interrupted: the statement was cancelled")
	case ctx.Err() != nil:
		return fmt.Errorf("statement cancelled: %v", context.Cause(ctx))
	}
	return &sqlError{err: err, sql: query}
}

// writeKeywords start statements that return no rows unless they say
// RETURNING or OUTPUT.
var writeKeywords = []string{"INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "CREATE", "ALTER", "DROP", "TRUNCATE", "GRANT", "REVOKE", "RENAME", "COMMENT", "SET", "USE", "LOCK", "ANALYZE", "VACUUM", "BEGIN", "COMMIT", "ROLLBACK"}

// useExec reports whether query should run with Exec to learn how many rows
// it affected: on connections other than PostgreSQL (whose command tag
// says it on the streaming path) when the statement starts with a keyword
// that returns no rows and has no RETURNING/OUTPUT clause.
func useExec(ctx context.Context, db *sql.DB, query string) (bool, error) {
	kw := strings.ToUpper(firstWord(query))
	if !slices.Contains(writeKeywords, kw) {
		return false, nil
	}
	up := strings.ToUpper(query)
	if strings.Contains(up, "RETURNING") || strings.Contains(up, "OUTPUT") {
		return false, nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	isPgx := false
	conn.Raw(func(dc any) error {
		if u, ok := dc.(interface{ Unwrap() driver.Conn }); ok {
			dc = u.Unwrap() // a connection whose credential bounds its life
		}
		_, isPgx = dc.(*stdlib.Conn)
		return nil
	})
	return !isPgx, nil
}

// execStatement runs query with Exec on one connection of db and returns
// the rows it affected. When ctx ends, the type's Cancel stops the
// statement on the server (MySQL: KILL QUERY).
func execStatement(ctx context.Context, db *sql.DB, typ *registry.Type, query string, args []any) (int64, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var end func() bool
	if typ != nil && typ.Cancel != nil {
		end = typ.Cancel(ctx, db, conn)
	}
	res, err := conn.ExecContext(ctx, query, args...)
	if end != nil && end() {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return -1, nil
	}
	return n, nil
}

// firstWord returns the statement's first keyword, after comments.
func firstWord(q string) string {
	for {
		q = strings.TrimLeft(q, " \t\r\n(")
		switch {
		case strings.HasPrefix(q, "--"):
			i := strings.IndexByte(q, '\n')
			if i < 0 {
				return ""
			}
			q = q[i+1:]
		case strings.HasPrefix(q, "/*"):
			i := strings.Index(q, "*/")
			if i < 0 {
				return ""
			}
			q = q[i+2:]
		default:
			end := strings.IndexFunc(q, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_')
			})
			if end < 0 {
				end = len(q)
			}
			return q[:end]
		}
	}
}

// parseSize parses a byte count with an optional KB/MB/GB (powers of 1024)
// suffix.
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSuffix(t, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("want a size such as 1048576, 512KB, 64MB or 2GB, not %s", quote(s))
	}
	return n * mult, nil
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
