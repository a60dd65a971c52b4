package main

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newQuery) }

func newQuery(a *app) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   `query NAME "SQL"`,
		Short: "Run a query through a stored connection and print the result",
		Args:  cobra.ExactArgs(2),
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
			rows, err := db.QueryContext(cmd.Context(), args[1])
			if err != nil {
				return err
			}
			defer rows.Close()
			cols, err := rows.Columns()
			if err != nil {
				return err
			}
			var data [][]any
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					return err
				}
				for i, v := range vals {
					if b, ok := v.([]byte); ok {
						vals[i] = string(b)
					}
				}
				data = append(data, vals)
			}
			if err := rows.Err(); err != nil {
				return err
			}
			return w(a.stdout, cols, data)
		},
	}
	c.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return c
}

var writers = map[string]func(io.Writer, []string, [][]any) error{
	"table": writeTable,
	"csv":   writeCSV,
	"json":  writeJSON,
}

func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'g', -1, 32)
	default:
		return fmt.Sprint(v)
	}
}

func writeTable(w io.Writer, cols []string, data [][]any) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(cols, "\t"))
	for _, row := range data {
		cells := make([]string, len(row))
		for i, v := range row {
			if v == nil {
				cells[i] = "NULL"
			} else {
				cells[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(text(v))
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "(%d rows)\n", len(data))
	return err
}

func writeCSV(w io.Writer, cols []string, data [][]any) error {
	cw := csv.NewWriter(w)
	cw.Write(cols)
	for _, row := range data {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = text(v)
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func writeJSON(w io.Writer, cols []string, data [][]any) error {
	enc := json.NewEncoder(w)
	out := make([]map[string]any, len(data))
	for r, row := range data {
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			v := row[i]
			if f, ok := v.(float64); ok && (f != f || f > 1.7976931348623157e308 || f < -1.7976931348623157e308) {
				v = text(f) // NaN and ±Inf are not JSON numbers
			}
			m[c] = v
		}
		out[r] = m
	}
	return enc.Encode(out)
}
