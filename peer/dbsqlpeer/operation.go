package dbsqlpeer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v12/arrow"
	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
)

// operation is one ExecuteStatement: it runs on its own goroutine and, once
// finished, holds its materialized result, which FetchResults pages through.
// Fields after done are written by the goroutine before it closes done and
// are read only after done is closed.
type operation struct {
	handle  *tcli.TOperationHandle
	session *session
	cancel  context.CancelFunc
	done    chan struct{}
	started time.Time
	text    string // the statement as the client sent it
	want    wanted // the result forms the client can read

	state     tcli.TOperationState
	err       *queryError
	cols      []column
	rows      [][]any
	modified  int64
	completed time.Time

	cursor int64 // next row FetchResults returns; guarded by Peer.mu

	prepareOnce sync.Once
	form        resultForm // how the result is sent; set by prepare
	schema      *arrow.Schema
	schemaIPC   []byte

	// lastCall is when a client last named the handle (UnixNano); 0 while
	// the ExecuteStatement request that creates it has not been answered.
	lastCall atomic.Int64
}

// touch records that a client named op's handle now.
func (op *operation) touch() { op.lastCall.Store(time.Now().UnixNano()) }

// reapAbandoned cancels and closes every running statement no call has
// named for longer than timeout, until the peer closes.
func (p *Peer) reapAbandoned(timeout time.Duration) {
	defer p.wg.Done()
	tick := time.NewTicker(max(timeout/4, 10*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-p.base.Done():
			return
		case <-tick.C:
		}
		cutoff := time.Now().Add(-timeout).UnixNano()
		var idle []*operation
		p.mu.Lock()
		for _, op := range p.ops {
			if last := op.lastCall.Load(); last != 0 && last < cutoff && !op.finished() {
				idle = append(idle, op)
			}
		}
		p.mu.Unlock()
		for _, op := range idle {
			p.abandoned.Add(1)
			p.removeOperation(op)
		}
	}
}

// finished reports whether the statement has stopped running.
func (op *operation) finished() bool {
	select {
	case <-op.done:
		return true
	default:
		return false
	}
}

// result is a finished statement's outcome.
type result struct {
	cols     []column
	rows     [][]any
	modified int64
}

// run executes the statement and records its outcome. ctx is canceled by
// CancelOperation, CloseOperation, CloseSession, Close, the statement's
// timeout, or the client dropping the ExecuteStatement request.
func (p *Peer) run(ctx context.Context, op *operation, st statement, args []any, limit int64) {
	defer p.wg.Done()
	p.running.Add(1)
	res, err := p.execute(ctx, st, args, limit)
	p.running.Add(-1)
	op.completed = time.Now()
	switch {
	case err == nil:
		op.state = tcli.TOperationState_FINISHED_STATE
		op.cols, op.rows, op.modified = res.cols, res.rows, res.modified
	case ctx.Err() != nil && errors.Is(context.Cause(ctx), errStatementTimeout):
		op.state = tcli.TOperationState_TIMEDOUT_STATE
		op.err = classify(context.DeadlineExceeded)
	case ctx.Err() != nil:
		op.state = tcli.TOperationState_CANCELED_STATE
		op.err = classify(context.Canceled)
		p.canceled.Add(1)
	default:
		op.state = tcli.TOperationState_ERROR_STATE
		op.err = classify(err)
	}
	close(op.done)
}

var errStatementTimeout = errors.New("dbsqlpeer: statement timeout")

// execute runs one statement on SQLite and materializes its result with
// Spark types. A statement without result columns (DDL, DML) reports the
// rows it changed.
func (p *Peer) execute(ctx context.Context, st statement, args []any, limit int64) (*result, error) {
	if st.err != nil {
		return nil, &queryError{class: "DATATYPE_MISMATCH", sqlState: "42K09", text: st.err.Error()}
	}
	conn, err := p.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var before, after int64
	if err := conn.QueryRowContext(ctx, "SELECT total_changes()").Scan(&before); err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, st.sqlite, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	colTypes, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	var raw [][]any
	for rows.Next() {
		if int64(len(raw)) >= p.cfg.MaxResultRows {
			return nil, &queryError{class: "RESULT_TOO_LARGE", sqlState: "54000",
				text: fmt.Sprintf("The result has more than %d rows, the peer's MaxResultRows.", p.cfg.MaxResultRows)}
		}
		vals := make([]any, len(colTypes))
		ptrs := make([]any, len(colTypes))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		raw = append(raw, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	res := &result{cols: make([]column, len(colTypes))}
	for i, ct := range colTypes {
		res.cols[i] = column{name: ct.Name(), typ: columnType(ct, st, raw, i)}
	}
	if limit > 0 && int64(len(raw)) > limit {
		raw = raw[:limit]
	}
	for _, r := range raw {
		for i, v := range r {
			if r[i], err = convert(v, res.cols[i].typ); err != nil {
				if ce, ok := err.(*convertError); ok {
					ce.column = res.cols[i].name
				}
				return nil, err
			}
		}
	}
	res.rows = raw
	if len(colTypes) == 0 {
		if err := conn.QueryRowContext(ctx, "SELECT total_changes()").Scan(&after); err != nil {
			return nil, err
		}
		res.modified = after - before
	}
	return res, nil
}

// columnType is the Spark type of result column i: the type the SQL text
// gives the SELECT item (CAST, literal), else the declared type of the table
// column it reads, else the type of all its values (inferType).
func columnType(ct *sql.ColumnType, st statement, raw [][]any, i int) sparkType {
	if i < len(st.items) && st.items[i] != nil {
		return *st.items[i]
	}
	if decl := ct.DatabaseTypeName(); decl != "" {
		if t, ok := parseSparkType(decl); ok {
			return t
		}
	}
	return inferType(raw, i)
}
