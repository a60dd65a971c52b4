package registry

import "io"

// RowEncoder appends one row of a load to b in a family's bulk text format
// (PostgreSQL COPY text, MySQL LOAD DATA): vals are the row's values, one
// per column of cols.
type RowEncoder func(b []byte, cols []LoadColumn, vals []any) ([]byte, error)

// RowReader is an io.Reader over a load's rows, encoded by a RowEncoder in
// chunks of about 64 KiB, for a driver that streams a bulk load from a
// reader. A row the encoder refuses, or the rows failing, ends the stream
// with that error (a *LoadError naming the row for the former), and none
// of the failing chunk is sent.
type RowReader struct {
	rows   LoadRows
	cols   []LoadColumn
	encode RowEncoder
	vals   []any
	buf    []byte
	off    int
	row    int64
	err    error
	done   bool
}

// NewRowReader returns a reader of rows' values encoded by encode.
func NewRowReader(rows LoadRows, cols []LoadColumn, encode RowEncoder) *RowReader {
	return &RowReader{rows: rows, cols: cols, encode: encode, vals: make([]any, len(cols))}
}

// Rows is the number of rows read from the load so far.
func (r *RowReader) Rows() int64 { return r.row }

// Err is the error that ended the stream, from the rows or the encoder;
// nil while it runs and after a clean end.
func (r *RowReader) Err() error { return r.err }

// Read implements io.Reader.
func (r *RowReader) Read(p []byte) (int, error) {
	for r.off == len(r.buf) {
		if r.done {
			if r.err != nil {
				return 0, r.err
			}
			return 0, io.EOF
		}
		r.buf, r.off = r.buf[:0], 0
		for len(r.buf) < 64<<10 {
			clear(r.vals)
			if !r.rows.Next(r.vals) {
				r.err, r.done = r.rows.Err(), true
				break
			}
			r.row++
			var err error
			if r.buf, err = r.encode(r.buf, r.cols, r.vals); err != nil {
				r.err, r.done = &LoadError{Row: r.row, Err: err}, true
				break
			}
		}
		if r.err != nil {
			r.buf = r.buf[:0] // send none of a failing chunk
		}
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}
