package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// TestQueryFileFormats: --format arrow|arrows|parquet writes the file
// (read back here with arrow-go; odbc/arrowrows has the independent
// readers), only once complete; bad flags and failed statements leave no
// file and an earlier one as it was.
func TestQueryFileFormats(t *testing.T) {
	t.Parallel()
	home := liteHome(t)
	dir := t.TempDir()
	q := `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 3000) SELECT i, 'r' || i AS s FROM c`
	for _, format := range []string{"arrow", "arrows", "parquet"} {
		out := filepath.Join(dir, "out."+format)
		stdout, errs, code := cli(t, home, "", "query", "lite", q, "--format", format, "--output", out)
		if code != 0 || stdout != "" || errs != "3000 rows written\n" {
			t.Fatalf("%s: %d %q %q", format, code, stdout, errs)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		switch format {
		case "arrow":
			r, err := ipc.NewFileReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			rec, err := r.RecordBatch(0)
			if err != nil || rec.NumRows() != 3000 || rec.Column(1).(*array.String).Value(2999) != "r3000" {
				t.Errorf("arrow: %v %v", rec, err)
			}
			r.Close()
		case "arrows":
			r, err := ipc.NewReader(bytes.NewReader(data))
			if err != nil || !r.Next() || r.RecordBatch().NumRows() != 3000 {
				t.Errorf("arrows: %v", err)
			}
			r.Release()
		case "parquet":
			if !bytes.HasPrefix(data, []byte("PAR1")) || !bytes.HasSuffix(data, []byte("PAR1")) {
				t.Errorf("parquet: not a Parquet file (%d bytes)", len(data))
			}
		}
	}
	// Standard output when it is not a terminal.
	stdout, _, code := cli(t, home, "", "query", "lite", "SELECT 1 AS n", "--format", "arrows")
	if r, err := ipc.NewReader(strings.NewReader(stdout)); code != 0 || err != nil || !r.Next() || r.RecordBatch().NumRows() != 1 {
		t.Errorf("arrows to stdout: %d %v", code, err)
	}

	keep := filepath.Join(dir, "keep.parquet")
	if err := os.WriteFile(keep, []byte("earlier"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"--format", "parquet", "--compression", "lzo"}, 2, "--compression for parquet must be one of snappy, brotli, gzip, lz4, none, zstd"},
		{[]string{"--format", "csv", "--compression", "zstd"}, 2, "--compression applies to --format parquet, arrow or arrows"},
		{[]string{"--format", "parquet", "SELECT no_such_column FROM c"}, 1, "no such table: c"},
	} {
		args := append([]string{"query", "lite"}, tc.args...)
		if len(tc.args)%2 == 0 {
			args = append(args, q)
		}
		_, errs, code := cli(t, home, "", append(args, "--output", keep)...)
		if code != tc.code || !strings.Contains(errs, tc.err) {
			t.Errorf("%v: %d %q, want %d and %q", tc.args, code, errs, tc.code, tc.err)
		}
		if b, _ := os.ReadFile(keep); string(b) != "earlier" {
			t.Errorf("%v: the earlier file became %q", tc.args, b)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// A statement without a result set writes no file.
	none := filepath.Join(dir, "none.parquet")
	_, errs, code := cli(t, home, "", "query", "lite", "CREATE TABLE x (a int)", "--format", "parquet", "--output", none)
	if _, err := os.Stat(none); code != 0 || err == nil {
		t.Errorf("CREATE: %d %q, file: %v", code, errs, err)
	}
}

// TestQueryFileDatabricks: on Databricks the file holds the driver's own
// Arrow (the local warehouse peer).
func TestQueryFileDatabricks(t *testing.T) {
	t.Parallel()
	const token = "dapi-vap-query-file"
	p, err := dbsqlpeer.Start(dbsqlpeer.Config{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	home := t.TempDir()
	if _, errs, code := cli(t, home, "", "conn", "create", "dbx", "--type", "databricks", "--set", "server_hostname="+p.Host(),
		"--set", "port="+strconv.Itoa(p.Port()), "--set", "http_path="+p.HTTPPath(), "--secret", "access_token="+token); code != 0 {
		t.Fatal(errs)
	}
	out := filepath.Join(t.TempDir(), "d.arrow")
	_, errs, code := cli(t, home, "", "query", "dbx", "SELECT id, CAST(id AS STRING) AS s FROM range(5000)", "--format", "arrow", "--output", out)
	if code != 0 || errs != "5000 rows written\n" {
		t.Fatalf("%d %q", code, errs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ipc.NewFileReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	total := int64(0)
	for i := range r.NumRecords() {
		rec, err := r.RecordBatch(i)
		if err != nil {
			t.Fatal(err)
		}
		total += rec.NumRows()
	}
	if total != 5000 || r.Schema().Field(1).Type.ID() != arrow.STRING {
		t.Errorf("%d rows, schema %s", total, r.Schema())
	}
	if _, errs, code := cli(t, home, "", "query", "dbx", "SELECT 1", "--format", "arrow", "--output", out, "--max-rows", "1"); code != 2 || !strings.Contains(errs, "use LIMIT") {
		t.Errorf("--max-rows on Databricks: %d %q", code, errs)
	}
}
