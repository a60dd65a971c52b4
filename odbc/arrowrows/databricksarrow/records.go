package databricksarrow

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	dbsqlrows "github.com/databricks/databricks-sql-go/rows"
)

// ErrNotDatabricks is Records' error on a connection that is not
// databricks-sql-go's.
var ErrNotDatabricks = errors.New("databricksarrow: not a databricks-sql-go connection")

// Records runs query (with args, bound as the driver binds them) on one
// connection of db, a *sql.DB of databricks-sql-go connections (a vap
// databricks connection, odbc.Client.DB, or the driver's own connector),
// and yields the result's record batches as the driver receives them. Each
// record batch is valid until the next iteration (Retain it to keep it). A
// result without rows yields one empty record batch with its schema.
// Breaking out of the loop, or cancelling ctx, closes the result.
func Records(ctx context.Context, db *sql.DB, query string, args ...any) iter.Seq2[arrow.RecordBatch, error] {
	return func(yield func(arrow.RecordBatch, error) bool) {
		conn, err := db.Conn(ctx)
		if err != nil {
			yield(nil, err)
			return
		}
		defer conn.Close()
		stopped := false
		err = conn.Raw(func(dc any) error {
			qc, ok := dc.(driver.QueryerContext)
			if !ok {
				return fmt.Errorf("%w (%T)", ErrNotDatabricks, dc)
			}
			nv := make([]driver.NamedValue, len(args))
			for i, a := range args {
				nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
				if n, ok := a.(sql.NamedArg); ok {
					nv[i] = driver.NamedValue{Ordinal: i + 1, Name: n.Name, Value: n.Value}
				}
			}
			rows, err := qc.QueryContext(ctx, query, nv)
			if err != nil {
				return err
			}
			defer rows.Close()
			ar, ok := rows.(dbsqlrows.Rows)
			if !ok {
				return fmt.Errorf("%w (rows %T)", ErrNotDatabricks, rows)
			}
			streams, err := ar.GetArrowIPCStreams(ctx)
			if err != nil {
				return err
			}
			defer streams.Close()
			sent := false
			for streams.HasNext() {
				if err := ctx.Err(); err != nil {
					return err
				}
				r, err := streams.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					return err
				}
				n, err := yieldStream(r, yield)
				sent = sent || n > 0
				if errors.Is(err, errStop) {
					stopped = true
					return nil
				}
				if err != nil {
					return err
				}
			}
			if sent {
				return nil
			}
			// No record batch: the schema alone, as an empty record batch.
			sb, err := streams.SchemaBytes()
			if err != nil || len(sb) == 0 {
				return err
			}
			sr, err := ipc.NewReader(bytes.NewReader(sb))
			if err != nil {
				return fmt.Errorf("databricksarrow: the result's schema: %w", err)
			}
			defer sr.Release()
			rb := array.NewRecordBuilder(memory.DefaultAllocator, sr.Schema())
			defer rb.Release()
			rec := rb.NewRecordBatch()
			defer rec.Release()
			if !yield(rec, nil) {
				stopped = true
			}
			return nil
		})
		if err != nil && !stopped {
			yield(nil, err)
		}
	}
}

var errStop = errors.New("stop")

// yieldStream yields the record batches of one Arrow IPC stream; errStop
// when the consumer stopped.
func yieldStream(r io.Reader, yield func(arrow.RecordBatch, error) bool) (int, error) {
	rd, err := ipc.NewReader(r)
	if err != nil {
		return 0, fmt.Errorf("databricksarrow: the driver's Arrow stream: %w", err)
	}
	defer rd.Release()
	n := 0
	for rd.Next() {
		n++
		if !yield(rd.RecordBatch(), nil) {
			return n, errStop
		}
	}
	if err := rd.Err(); err != nil {
		return n, fmt.Errorf("databricksarrow: the driver's Arrow stream: %w", err)
	}
	return n, nil
}
