package arrowrows

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/vapsql/vap/odbc"
)

// Format is a file format WriteFile writes.
type Format string

// The formats.
const (
	// Parquet is an Apache Parquet file (the Arrow schema stored in its
	// metadata, as pyarrow does).
	Parquet Format = "parquet"
	// ArrowFile is the Arrow IPC file format (Feather v2, ".arrow").
	ArrowFile Format = "arrow"
	// ArrowStream is the Arrow IPC stream format (".arrows").
	ArrowStream Format = "arrows"
)

// Formats lists the formats, in the order help shows them.
var Formats = []Format{Parquet, ArrowFile, ArrowStream}

// DefaultRowGroupRows is the rows per Parquet row group when
// FileOptions.RowGroupRows is 0: row groups of 128 Ki rows keep a writer's
// memory bounded by one row group and give readers units large enough to
// scan efficiently (DuckDB writes 122,880).
const DefaultRowGroupRows = 128 << 10

// FileOptions tune WriteFile.
type FileOptions struct {
	// Compression is the codec: for Parquet "snappy" (the default),
	// "zstd", "gzip", "brotli", "lz4" (LZ4_RAW) or "none"; for the Arrow
	// formats "none" (the default), "lz4" (LZ4 frame) or "zstd".
	Compression string
	// RowGroupRows is the rows per Parquet row group (and per record
	// batch of the Arrow formats); 0 means DefaultRowGroupRows.
	RowGroupRows int
}

var parquetCodecs = map[string]compress.Compression{
	"snappy": compress.Codecs.Snappy, "zstd": compress.Codecs.Zstd, "gzip": compress.Codecs.Gzip,
	"brotli": compress.Codecs.Brotli, "lz4": compress.Codecs.Lz4Raw, "none": compress.Codecs.Uncompressed,
}

var ipcCodecs = map[string][]ipc.Option{"none": nil, "lz4": {ipc.WithLZ4()}, "zstd": {ipc.WithZstd()}}

// Compressions returns the codec names a format accepts, the default first.
func Compressions(f Format) []string {
	var names []string
	def := "none"
	switch f {
	case Parquet:
		def = "snappy"
		for n := range parquetCodecs {
			names = append(names, n)
		}
	case ArrowFile, ArrowStream:
		for n := range ipcCodecs {
			names = append(names, n)
		}
	default:
		return nil
	}
	sort.Slice(names, func(i, j int) bool { return names[i] == def || names[j] != def && names[i] < names[j] })
	return names
}

// ErrNoResult is WriteFile's error for a statement without a result set
// (an INSERT): there is no schema to write.
var ErrNoResult = errors.New("arrowrows: the statement returned no result set")

// check validates a format and its options before anything is written.
func (o *FileOptions) check(f Format) (codec string, err error) {
	names := Compressions(f)
	if names == nil {
		return "", fmt.Errorf("arrowrows: unknown format %q (want one of parquet, arrow, arrows)", f)
	}
	codec = names[0]
	if o != nil && o.Compression != "" {
		codec = strings.ToLower(o.Compression)
	}
	for _, n := range names {
		if n == codec {
			return codec, nil
		}
	}
	return "", fmt.Errorf("arrowrows: %s compression must be one of %s, not %q", f, strings.Join(names, ", "), o.Compression)
}

func (o *FileOptions) rowGroupRows() int {
	if o == nil || o.RowGroupRows <= 0 {
		return DefaultRowGroupRows
	}
	return o.RowGroupRows
}

// WriteFile writes a result streamed in batches (odbc.StreamBatches) to w
// in format f, converting it batch by batch (Records): its memory is
// bounded by one row group, whatever the number of rows. It returns the
// rows written. A bad format or compression fails before anything is
// read or written; a failed query leaves w with a partial file, so write
// to a temporary file and rename it on success (vap query --output does).
func WriteFile(w io.Writer, f Format, batches iter.Seq2[*odbc.Rows, error], opts *FileOptions) (int64, error) {
	codec, err := opts.check(f)
	if err != nil {
		return 0, err
	}
	ro := &Options{BatchRows: opts.rowGroupRows()}
	var mem memory.Allocator = memory.DefaultAllocator
	if f == Parquet {
		// Encoding Parquet allocates (and Go zeroes) about as much as
		// converting: recycling pays there. The Arrow formats write the
		// record batches as they are, in a third of the memory without.
		mem = new(recycler)
		ro.Allocator, ro.reserveFull = mem, true
	}
	return writeRecords(w, f, codec, opts.rowGroupRows(), mem, Records(batches, ro))
}

// WriteRecords writes record batches that share one schema to w in format
// f (see WriteFile); it returns the rows written.
func WriteRecords(w io.Writer, f Format, records iter.Seq2[arrow.RecordBatch, error], opts *FileOptions) (int64, error) {
	codec, err := opts.check(f)
	if err != nil {
		return 0, err
	}
	var mem memory.Allocator = memory.DefaultAllocator
	if f == Parquet {
		mem = new(recycler)
	}
	return writeRecords(w, f, codec, opts.rowGroupRows(), mem, records)
}

// recordWriter is one format's writer.
type recordWriter interface {
	Write(arrow.RecordBatch) error
	Close() error
}

func writeRecords(w io.Writer, f Format, codec string, groupRows int, mem memory.Allocator, records iter.Seq2[arrow.RecordBatch, error]) (n int64, err error) {
	// Buffered, and never closed here: the Parquet writer closes a sink
	// that is an io.Closer.
	bw := bufio.NewWriterSize(w, 1<<20)
	w = struct{ io.Writer }{bw}
	var rw recordWriter
	defer func() {
		if rw != nil && err != nil {
			rw.Close() // the error wins
		}
	}()
	for rec, err := range pipelined(records) {
		if err != nil {
			return n, err
		}
		if rw == nil {
			if rw, err = newRecordWriter(w, f, codec, groupRows, mem, rec); err != nil {
				return n, err
			}
		}
		if rec.NumRows() == 0 {
			rec.Release()
			continue
		}
		err = rw.Write(rec)
		rec.Release()
		if err != nil {
			return n, err
		}
		n += rec.NumRows()
	}
	if rw == nil {
		return 0, ErrNoResult
	}
	err = rw.Close()
	rw = nil
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// newRecordWriter makes the writer of a format for record batches like
// first (its schema; for Parquet, its values decide the encodings).
func newRecordWriter(w io.Writer, f Format, codec string, groupRows int, mem memory.Allocator, first arrow.RecordBatch) (recordWriter, error) {
	schema := first.Schema()
	switch f {
	case Parquet:
		// Dictionary encoding for text only, and only for text that
		// repeats in the first record batch: numbers, times and decimals
		// rarely repeat enough to pay for its hashing (most of the cost
		// of writing them), text often does (codes, names, states), but
		// unique text (ids, hashes, free text) only pays for hashing
		// until the dictionary outgrows its page and the writer falls
		// back to plain values.
		opts := []parquet.WriterProperty{
			parquet.WithCompression(parquetCodecs[codec]),
			parquet.WithMaxRowGroupLength(int64(groupRows)),
			parquet.WithCreatedBy("vap (arrow-go parquet)"),
			parquet.WithDictionaryDefault(false),
			parquet.WithAllocator(mem),
		}
		for j, f := range schema.Fields() {
			if f.Type.ID() == arrow.STRING && repeats(first.Column(j)) {
				opts = append(opts, parquet.WithDictionaryFor(f.Name, true))
			}
		}
		props := parquet.NewWriterProperties(opts...)
		return pqarrow.NewFileWriter(schema, w, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem)))
	case ArrowFile:
		return ipc.NewFileWriter(w, append([]ipc.Option{ipc.WithSchema(schema)}, ipcCodecs[codec]...)...)
	}
	return ipc.NewWriter(w, append([]ipc.Option{ipc.WithSchema(schema)}, ipcCodecs[codec]...)...), nil
}

// pipelined runs records (the query and the conversion to Arrow) in a
// goroutine of its own, one record batch ahead of the caller (encoding and
// writing the file), so the two overlap on two cores. The caller owns, and
// releases, each record batch it gets. At most three record batches exist
// at a time: one being built, one handed over, one being written. When the
// caller stops early, the producer stops at its next record batch, which
// stops the query.
func pipelined(records iter.Seq2[arrow.RecordBatch, error]) iter.Seq2[arrow.RecordBatch, error] {
	type item struct {
		rec arrow.RecordBatch
		err error
	}
	return func(yield func(arrow.RecordBatch, error) bool) {
		ch := make(chan item, 1)
		done := make(chan struct{})
		go func() {
			defer close(ch)
			for rec, err := range records {
				if rec != nil {
					rec.Retain()
				}
				select {
				case ch <- item{rec, err}:
				case <-done:
					if rec != nil {
						rec.Release()
					}
					return
				}
				if err != nil {
					return
				}
			}
		}()
		defer func() {
			close(done)
			for it := range ch { // wait for the producer to end
				if it.rec != nil {
					it.rec.Release()
				}
			}
		}()
		for it := range ch {
			if !yield(it.rec, it.err) {
				return
			}
		}
	}
}

// dictionarySample is the most values repeats looks at.
const dictionarySample = 4096

// repeats reports whether a text column's values repeat enough for a
// dictionary: no more than half of up to dictionarySample values, taken
// evenly across the column (NULLs skipped), are distinct. A column
// without values says yes (dictionary encoding was the default).
func repeats(col arrow.Array) bool {
	s, ok := col.(*array.String)
	if !ok || s.Len()-s.NullN() == 0 {
		return true
	}
	step := max(1, (s.Len()+dictionarySample-1)/dictionarySample) // at most dictionarySample values
	seen := make(map[string]struct{}, min(s.Len(), dictionarySample)/2+1)
	n := 0
	for i := 0; i < s.Len(); i += step {
		if s.IsNull(i) {
			continue
		}
		n++
		seen[s.Value(i)] = struct{}{}
	}
	return n > 0 && len(seen)*2 <= n
}
