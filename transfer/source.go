package transfer

import (
	"context"
	"database/sql"

	"github.com/vapsql/vap/odbc"
)

// batch is a slab of rows read from the source: rows × columns values.
type batch struct {
	vals []any
	n    int
}

// source reads the query's result in a goroutine of its own and hands it
// over in batches, so reading the source and writing the target overlap.
// At most three batches exist at a time: memory does not grow with the
// rows.
type source struct {
	cols    []odbc.Column
	ready   chan struct{} // closed once cols is set or the stream ended
	batches chan *batch
	free    chan *batch
	done    chan struct{} // closed when the goroutine returned
	err     error         // the stream's error; read after batches closed
	read    int64         // rows read; read after batches closed
}

// startSource runs query on db in a goroutine until ctx ends.
func startSource(ctx context.Context, db *sql.DB, query string, args []any, rows int) *source {
	s := &source{
		ready:   make(chan struct{}),
		batches: make(chan *batch, 1),
		free:    make(chan *batch, 3),
		done:    make(chan struct{}),
	}
	go s.run(ctx, db, query, args, rows)
	return s
}

func (s *source) run(ctx context.Context, db *sql.DB, query string, args []any, rows int) {
	defer close(s.done)
	defer close(s.batches)
	var sum odbc.Summary
	ready := false
	setReady := func(cols []odbc.Column) {
		if !ready {
			s.cols, ready = cols, true
			close(s.ready)
		}
	}
	defer func() { setReady(sum.Columns) }()
	var b *batch
	ncol := 0
	args = append(append([]any(nil), args...), odbc.MaxBytes(0), odbc.WithSummary(&sum))
	for row, err := range odbc.StreamDB(ctx, db, query, args...) {
		if err != nil {
			s.err = err
			return
		}
		if !ready {
			setReady(row.Columns())
			ncol = len(s.cols)
		}
		if b == nil {
			select {
			case b = <-s.free:
			default:
				b = &batch{vals: make([]any, rows*ncol)}
			}
		}
		vals := b.vals[b.n*ncol : (b.n+1)*ncol]
		for j := range vals {
			vals[j] = row.Value(j)
		}
		b.n++
		s.read++
		if b.n == rows {
			select {
			case s.batches <- b:
				b = nil
			case <-ctx.Done():
				return // breaking out stops the query on the server
			}
		}
	}
	if ctx.Err() != nil {
		s.err = context.Cause(ctx)
		return
	}
	if b != nil && b.n > 0 {
		select {
		case s.batches <- b:
		case <-ctx.Done():
			s.err = context.Cause(ctx)
		}
	}
}

// recycle gives a consumed batch back for reuse.
func (s *source) recycle(b *batch) {
	clear(b.vals)
	b.n = 0
	select {
	case s.free <- b:
	default:
	}
}
