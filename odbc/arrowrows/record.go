package arrowrows

import (
	"iter"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/vapsql/vap/odbc"
)

// DefaultBatchRows is the number of rows of a record batch Records makes
// when Options.BatchRows is 0.
const DefaultBatchRows = 64 << 10

// maxBatchBytes ends a record batch early when its strings and byte
// strings reach this size, so that its offsets (int32) cannot overflow and
// wide rows do not hold many megabytes.
const maxBatchBytes = 64 << 20

// Options tune Records.
type Options struct {
	// BatchRows is the most rows per record batch; 0 means
	// DefaultBatchRows. A batch also ends once its var-length values hold
	// 64 MiB.
	BatchRows int
	// Allocator allocates the Arrow buffers; nil means Go's allocator.
	Allocator memory.Allocator

	// reserveFull makes a record that follows a full one reserve its
	// room at once (WriteFile with a recycler: no copies when growing,
	// for a record's worth of memory more).
	reserveFull bool
}

func (o *Options) batchRows() int {
	if o == nil || o.BatchRows <= 0 {
		return DefaultBatchRows
	}
	return o.BatchRows
}

func (o *Options) allocator() memory.Allocator {
	if o == nil || o.Allocator == nil {
		return memory.DefaultAllocator
	}
	return o.Allocator
}

// Record converts a materialized result into one record batch with the
// schema Schema(rows.Columns()). The caller releases it.
func Record(rows *odbc.Rows, opts *Options) (arrow.RecordBatch, error) {
	b := newBuilder(opts.allocator(), rows.Columns())
	defer b.release()
	b.reserve(rows.Len())
	if err := b.appendRows(rows, 0, rows.Len()); err != nil {
		return nil, err
	}
	return b.newRecord(), nil
}

// Records turns a result streamed in batches (odbc.StreamBatches) into
// Arrow record batches of up to opts.BatchRows rows, holding no more than
// one record batch's rows at a time. Each record batch is valid until the next
// iteration: Retain it to keep it longer. A result with columns but no rows
// yields one empty record batch (its schema); an error ends the sequence.
// Breaking out of the loop stops the query.
func Records(batches iter.Seq2[*odbc.Rows, error], opts *Options) iter.Seq2[arrow.RecordBatch, error] {
	return func(yield func(arrow.RecordBatch, error) bool) {
		var b *builder
		defer func() {
			if b != nil {
				b.release()
			}
		}()
		limit := opts.batchRows()
		emit := func() bool {
			rec := b.newRecord()
			defer rec.Release()
			return yield(rec, nil)
		}
		sent := false
		for rows, err := range batches {
			if err != nil {
				yield(nil, err)
				return
			}
			if b == nil {
				b = newBuilder(opts.allocator(), rows.Columns())
				b.reserve(min(limit, max(rows.Len(), 1024)))
			} else if err := b.check(rows); err != nil {
				yield(nil, err)
				return
			}
			for from := 0; from < rows.Len(); {
				to := min(rows.Len(), from+limit-b.n)
				if err := b.appendRows(rows, from, to); err != nil {
					yield(nil, err)
					return
				}
				from = to
				if b.n >= limit || b.bytes >= maxBatchBytes {
					sent = true
					full := b.n >= limit && opts != nil && opts.reserveFull
					if !emit() {
						return
					}
					// The next record is likely as large as this one:
					// its room at once, not by doubling (copying) from
					// a small start.
					if full {
						b.reserveLike(limit)
					} else {
						b.reserve(min(limit, 1024))
					}
				}
			}
		}
		if b != nil && (b.n > 0 || !sent) {
			emit()
		}
	}
}
