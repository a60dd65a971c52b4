package transfer

import (
	"fmt"
	"time"

	"github.com/vapsql/vap/registry"
)

// cleanupTimeout bounds the statements that undo a failed copy (dropping a
// staging table) once the copy's context has ended.
const cleanupTimeout = 30 * time.Second

// loadRows hands the source's batches to the target's load, each value
// converted for its target column.
type loadRows struct {
	s        *source
	src, dst []registry.LoadColumn
	progress func(int64)
	ncol     int
	cur      *batch
	i        int
	n        int64 // rows handed out
	err      error
}

func (r *loadRows) Next(vals []any) bool {
	if r.err != nil {
		return false
	}
	for r.cur == nil || r.i == r.cur.n {
		if r.cur != nil {
			r.s.recycle(r.cur)
			r.cur = nil
			if r.progress != nil {
				r.progress(r.n)
			}
		}
		b, ok := <-r.s.batches
		if !ok {
			<-r.s.done
			r.err = r.s.err
			if r.err != nil {
				r.err = &sourceError{err: r.err, read: r.s.read}
			}
			return false
		}
		r.cur, r.i = b, 0
	}
	row := r.cur.vals[r.i*r.ncol : (r.i+1)*r.ncol]
	r.i++
	r.n++
	for j, v := range row {
		x, err := convert(v, &r.src[j], &r.dst[j])
		if err != nil {
			r.err = &registry.LoadError{Row: r.n, Err: fmt.Errorf("column %s: %w", r.dst[j].Name, err)}
			return false
		}
		vals[j] = x
	}
	return true
}

func (r *loadRows) Err() error { return r.err }

// sourceError is the source failing while rows were being copied.
type sourceError struct {
	err  error
	read int64 // rows it gave before
}

func (e *sourceError) Error() string {
	return fmt.Sprintf("the source failed after %d rows: %v", e.read, e.err)
}

func (e *sourceError) Unwrap() error { return e.err }
