package dbsqlpeer

import (
	"bytes"
	"io"
	"slices"
	"testing"

	"github.com/pierrec/lz4/v4"

	"github.com/apache/arrow/go/v12/arrow/ipc"
)

// TestArrowSchemaConventions decodes the IPC schema message the peer puts
// in TGetResultSetMetadataResp.arrowSchema and checks a warehouse's
// conventions: TIMESTAMP as timestamp[us, tz=Etc/UTC] when asked, DECIMAL
// as utf8 unless native decimals are asked for, VOID (Arrow null) for an
// untyped NULL, and the Spark SQL type name in every field's metadata.
func TestArrowSchemaConventions(t *testing.T) {
	dec := sparkType{id: typeDecimalID, precision: 10, scale: 2}
	cols := []column{{"ts", typeTimestamp}, {"d", dec}, {"n", typeNull}, {"i", typeInt}, {"da", typeDate}}
	for _, tc := range []struct {
		types arrowTypes
		want  []string
	}{
		{arrowTypes{timestamp: true}, []string{"timestamp[us, tz=Etc/UTC]", "utf8", "null", "int32", "date32"}},
		{arrowTypes{timestamp: true, decimal: true}, []string{"timestamp[us, tz=Etc/UTC]", "decimal(10, 2)", "null", "int32", "date32"}},
		{arrowTypes{}, []string{"utf8", "utf8", "null", "int32", "date32"}},
	} {
		b, err := ipcSchema(arrowSchema(cols, tc.types))
		if err != nil {
			t.Fatal(err)
		}
		r, err := ipc.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("the schema message does not decode: %v", err)
		}
		s := r.Schema()
		r.Release()
		wantNames := []string{"TIMESTAMP", "DECIMAL(10,2)", "VOID", "INT", "DATE"}
		for i, f := range s.Fields() {
			if got := f.Type.String(); got != tc.want[i] {
				t.Errorf("%+v: field %s is %s, want %s", tc.types, f.Name, got, tc.want[i])
			}
			if got, _ := f.Metadata.GetValue(sqlNameKey); got != wantNames[i] {
				t.Errorf("field %s: %s = %q, want %q", f.Name, sqlNameKey, got, wantNames[i])
			}
		}
	}
}

// TestLZ4Batches: for a client that sets canDecompressLZ4Result, each
// inline batch is one LZ4 frame which, after the schema message, decodes
// as the rows (databricks-sql-go reads them so: schema bytes, then the
// LZ4-decompressed batch); the metadata says lz4Compressed.
func TestLZ4Batches(t *testing.T) {
	p := &Peer{cfg: Config{ArrowBatchRows: 2, CloudFetchThreshold: -1}}
	op := &operation{cols: []column{{"n", typeBigint}, {"s", typeString}},
		rows: [][]any{{int64(1), "a"}, {nil, "b"}, {int64(3), nil}},
		want: wanted{arrow: true, lz4: true}}
	md := p.metadata(op)
	if !md.GetLz4Compressed() || md.GetResultFormat().String() != "ARROW_BASED_SET" {
		t.Fatalf("metadata: lz4 %v, format %v", md.GetLz4Compressed(), md.GetResultFormat())
	}
	set, err := p.arrowRowSet(op, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.ArrowBatches) != 2 || set.ArrowBatches[0].RowCount != 2 || set.ArrowBatches[1].RowCount != 1 {
		t.Fatalf("batches: %+v", set.ArrowBatches)
	}
	var got []string
	for _, b := range set.ArrowBatches {
		r, err := ipc.NewReader(io.MultiReader(bytes.NewReader(md.ArrowSchema), lz4.NewReader(bytes.NewReader(b.Batch))))
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			rec := r.Record()
			for i := 0; i < int(rec.NumRows()); i++ {
				got = append(got, rec.Column(0).ValueStr(i)+"/"+rec.Column(1).ValueStr(i))
			}
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		r.Release()
	}
	if want := []string{"1/a", "(null)/b", "3/(null)"}; !slices.Equal(got, want) {
		t.Fatalf("rows %q, want %q", got, want)
	}
}
