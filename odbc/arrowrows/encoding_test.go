package arrowrows_test

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/vapsql/vap/odbc/arrowrows"
)

// TestParquetDictionaryForRepeatedText: a text column whose values repeat
// (a state, with NULLs) is dictionary-encoded; a text column of unique
// values (a hash) and a number column are plain; all read back unchanged.
func TestParquetDictionaryForRepeatedText(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "state", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "hash", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	const rows = 20_000
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	states := []string{"open", "closed", "pending", "failed"}
	for i := range rows {
		if i%7 == 0 {
			b.Field(0).AppendNull()
		} else {
			b.Field(0).(*array.StringBuilder).Append(states[i%len(states)])
		}
		b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("%032x", uint64(i)*0x9E3779B97F4A7C15))
		b.Field(2).(*array.Int64Builder).Append(int64(i % 3))
	}
	want := b.NewRecordBatch()
	defer want.Release()
	var one iter.Seq2[arrow.RecordBatch, error] = func(yield func(arrow.RecordBatch, error) bool) { yield(want, nil) }

	var buf bytes.Buffer
	if n, err := arrowrows.WriteRecords(&buf, arrowrows.Parquet, one, &arrowrows.FileOptions{RowGroupRows: 8192}); err != nil || n != rows {
		t.Fatal(n, err)
	}
	pf, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for g := range pf.NumRowGroups() {
		for j, dict := range []bool{true, false, false} {
			cc, err := pf.MetaData().RowGroup(g).ColumnChunk(j)
			if err != nil {
				t.Fatal(err)
			}
			if cc.HasDictionaryPage() != dict {
				t.Errorf("row group %d column %s: dictionary page %v, want %v (encodings %v)", g, schema.Field(j).Name, cc.HasDictionaryPage(), dict, cc.Encodings())
			}
		}
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	for j := range 3 {
		got, err := array.Concatenate(tbl.Column(j).Data().Chunks(), memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		if !array.Equal(got, want.Column(j)) {
			t.Errorf("column %s read back differs", schema.Field(j).Name)
		}
		got.Release()
	}
}
