package main

import (
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vapsql/vap/odbc"
)

func init() { commands = append(commands, newQuery) }

// writers print a materialized result; csv and json are odbc's own.
var writers = map[string]func(*odbc.Rows, io.Writer) error{
	"table": writeTable,
	"csv":   (*odbc.Rows).WriteCSV,
	"json":  (*odbc.Rows).WriteJSON,
}

func newQuery(a *app) *cobra.Command {
	var format string
	var maxRows int64
	c := &cobra.Command{
		Use:   `query NAME "SQL"`,
		Short: "Run a query through a stored connection and print the result",
		Long: `Run a query through a stored connection and print the result as an aligned
table, CSV (header row, NULL as an empty field) or JSON (an array of objects;
numbers stay numbers, times are RFC 3339, NULL is null). Values are normalized
as odbc.OdbcToRows normalizes them, the same on every backend.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			w, ok := writers[format]
			if !ok {
				return usagef("--format must be table, csv or json, not %q", format)
			}
			conn, err := a.connector(args[0])
			if err != nil {
				return err
			}
			db := sql.OpenDB(conn)
			defer db.Close()
			var opts []any
			if maxRows > 0 {
				opts = append(opts, odbc.MaxRows(maxRows))
			}
			rows, err := odbc.OdbcToRowsDB(cmd.Context(), db, args[1], opts...)
			if err != nil {
				return err
			}
			return w(rows, a.stdout)
		},
	}
	c.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	c.Flags().Int64Var(&maxRows, "max-rows", 0, "fail instead of reading more than this many rows (0: no row limit)")
	return c
}

func cell(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case []byte:
		return fmt.Sprintf("\\x%x", v)
	default:
		return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(fmt.Sprint(v))
	}
}

func writeTable(rows *odbc.Rows, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	cols := rows.Columns()
	names := make([]string, len(cols))
	for j, c := range cols {
		names[j] = c.Name
	}
	fmt.Fprintln(tw, strings.Join(names, "\t"))
	cells := make([]string, len(cols))
	for i := range rows.Len() {
		for j := range cols {
			cells[j] = cell(rows.Value(i, j))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "(%d rows)\n", rows.Len())
	return err
}
