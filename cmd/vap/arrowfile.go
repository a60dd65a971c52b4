package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/vapsql/vap/odbc"
	"github.com/vapsql/vap/odbc/arrowrows"
	"github.com/vapsql/vap/odbc/arrowrows/databricksarrow"
)

// isFileFormat reports whether a --format is a columnar file format,
// written by odbc/arrowrows rather than a text sink.
func isFileFormat(format string) bool {
	return slices.Contains(arrowrows.Formats, arrowrows.Format(format))
}

// checkFileFlags validates --compression (and that it goes with a file
// format) before anything runs.
func checkFileFlags(f queryFlags) error {
	if f.compression == "" {
		return nil
	}
	if !isFileFormat(f.format) {
		return usagef("--compression applies to --format parquet, arrow or arrows, not %s", f.format)
	}
	names := arrowrows.Compressions(arrowrows.Format(f.format))
	if !slices.Contains(names, strings.ToLower(f.compression)) {
		return usagef("--compression for %s must be one of %s, not %s", f.format, strings.Join(names, ", "), quote(f.compression))
	}
	return nil
}

// queryFile streams a result into a Parquet or Arrow IPC file. With
// --output the file is written under a temporary name next to it and
// renamed once complete: a failed or interrupted query leaves no file (and
// an earlier file of that name as it was).
//
// On Databricks the driver's own Arrow record batches are written
// (databricksarrow), with the driver's schema; --max-rows and --max-bytes
// do not apply there.
func (a *app) queryFile(ctx context.Context, client *odbc.Client, typeName, name, query string, params []any, f queryFlags, maxBytes int64) error {
	if typeName == "databricks" && (f.maxRows > 0 || maxBytes > 0) {
		return usagef("--max-rows and --max-bytes do not apply to --format %s on Databricks (the driver's Arrow is written as it arrives): use LIMIT", f.format)
	}
	var w io.Writer = a.stdout
	var tmp *os.File
	if f.output == "" {
		if o, ok := a.stdout.(*os.File); ok && term.IsTerminal(int(o.Fd())) {
			return usagef("--format %s writes a binary file: give --output FILE or redirect standard output", f.format)
		}
	} else {
		var err error
		tmp, err = os.CreateTemp(filepath.Dir(f.output), "."+filepath.Base(f.output)+".*.tmp")
		if err != nil {
			return err
		}
		defer func() {
			if tmp != nil {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
		if err := tmp.Chmod(0o644); err != nil { // as a text --output (os.Create, umask 022)
			return err
		}
		w = tmp
	}
	var sum odbc.Summary
	var note string
	var seen int64
	streamArgs := append([]any{odbc.MaxBytes(maxBytes), odbc.WithSummary(&sum)}, params...)
	if f.maxRows > 0 {
		streamArgs = append([]any{odbc.MaxRows(f.maxRows)}, streamArgs...)
	}
	batches := func(yield func(*odbc.Rows, error) bool) {
		for rows, err := range client.StreamBatches(ctx, query, name, streamArgs...) {
			var le *odbc.LimitError
			if errors.As(err, &le) {
				// The rows up to the limit are written; the batch that
				// crossed it is not (as the text formats do).
				what := "the result holds more than --max-bytes " + f.maxBytes
				if le.Limit == odbc.LimitRows {
					what = "--max-rows; the statement had more"
				}
				note = fmt.Sprintf("stopped after %d %s: %s", seen, plural(seen, "row", "rows"), what)
				return
			}
			if rows != nil {
				seen += int64(rows.Len())
			}
			if !yield(rows, err) {
				return
			}
		}
	}
	fopts := &arrowrows.FileOptions{Compression: f.compression}
	var n int64
	var err error
	if typeName == "databricks" {
		var db *sql.DB
		if db, err = client.DB(name, nil); err != nil {
			return err
		}
		n, err = arrowrows.WriteRecords(w, arrowrows.Format(f.format), databricksarrow.Records(ctx, db, query, params...), fopts)
	} else {
		n, err = arrowrows.WriteFile(w, arrowrows.Format(f.format), batches, fopts)
	}
	if ctx.Err() != nil {
		return a.queryErr(ctx, query, context.Cause(ctx))
	}
	if errors.Is(err, arrowrows.ErrNoResult) && len(sum.Columns) == 0 {
		msg := sum.Tag
		if msg == "" {
			msg = "OK"
		}
		return a.report(f.format, a.stderr, msg+" (no result set: nothing written)")
	}
	if err != nil {
		if strings.HasPrefix(err.Error(), "arrowrows:") {
			return err
		}
		return a.queryErr(ctx, query, err)
	}
	if tmp != nil {
		if err := tmp.Sync(); err != nil {
			return err
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		if err := os.Rename(tmp.Name(), f.output); err != nil {
			os.Remove(tmp.Name())
			tmp = nil
			return err
		}
		tmp = nil
	}
	if note != "" {
		fmt.Fprintln(a.stderr, "vap: "+note)
	}
	fmt.Fprintf(a.stderr, "%d %s written\n", n, plural(n, "row", "rows"))
	return nil
}
