package odbc

import "errors"

// errStop ends a query early without an error (a Stream consumer broke out
// of its loop).
var errStop = errors.New("odbc: stop")

// builder receives decoded rows into column storage. It enforces the limits
// and, for a stream, hands out full batches.
type builder struct {
	cfg     config
	rows    *Rows
	total   int64 // rows over all batches
	flushed int64 // bytes of batches handed out
	// emit, when set, receives each full batch (streaming); false stops.
	emit func(*Rows) bool
}

// start sets the result's columns.
func (b *builder) start(cols []Column) {
	b.rows = newRows(cols)
	if b.cfg.summary != nil {
		b.cfg.summary.Columns = cols
	}
	b.rows.stable = b.emit == nil
}

func (b *builder) cols() []colData { return b.rows.data }

func (b *builder) bytes() int64 {
	var n int64
	for i := range b.rows.data {
		n += b.rows.data[i].size()
	}
	return n
}

// endRow counts a complete row.
func (b *builder) endRow() error {
	b.rows.n++
	b.total++
	if b.cfg.maxRows > 0 && b.total > b.cfg.maxRows {
		return &LimitError{Limit: LimitRows, Max: b.cfg.maxRows}
	}
	if b.cfg.maxBytes > 0 && b.total&63 == 0 && b.flushed+b.bytes() > b.cfg.maxBytes {
		return &LimitError{Limit: LimitBytes, Max: b.cfg.maxBytes}
	}
	if b.emit != nil && b.rows.n == batchRows {
		return b.flush()
	}
	return nil
}

// finish checks the limits on the whole result and flushes a stream's last
// batch.
func (b *builder) finish() error {
	if b.cfg.maxBytes > 0 && b.flushed+b.bytes() > b.cfg.maxBytes {
		return &LimitError{Limit: LimitBytes, Max: b.cfg.maxBytes}
	}
	if b.emit != nil && b.rows != nil && b.rows.n > 0 {
		return b.flush()
	}
	return nil
}

func (b *builder) flush() error {
	b.flushed += b.bytes()
	if !b.emit(b.rows) {
		return errStop
	}
	b.rows.n = 0
	for i := range b.rows.data {
		b.rows.data[i].reset()
	}
	return nil
}
