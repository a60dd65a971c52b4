package transfer

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
)

// DefaultBatch is how many rows are read from the source at a time when
// Options.Batch is 0.
const DefaultBatch = 1000

// Options says what to copy where.
type Options struct {
	// Query is the statement whose result is copied; Args its arguments,
	// in the source's placeholder style.
	Query string
	Args  []any
	// Table is the target table: NAME or SCHEMA.NAME, each part a plain
	// identifier (the database folds its case as usual) or a quoted one.
	Table string
	// Create creates the table (it must not exist) with a column per
	// result column, typed by the target family's mapping (see the
	// package doc). Without it the table must exist and have a column of
	// each result column's name.
	Create bool
	// Batch is how many rows are read from the source at a time (memory
	// holds about three batches) and the progress step; 0: DefaultBatch.
	Batch int
	// Progress, when set, is called with the number of rows handed to the
	// target so far, after each batch, from the copying goroutine.
	Progress func(rows int64)
}

// Result says what a copy did.
type Result struct {
	// Rows is the number of rows written (and committed).
	Rows int64
	// Method is how they were written: "COPY", "LOAD DATA", "INSERT".
	Method string
	// Created: the table was created.
	Created bool
}

// Copy runs opt.Query on src and writes its rows into opt.Table on dst, all
// or nothing: on any error (a bad table name, a value the target column
// cannot hold, a constraint violated at row N, the source failing midway,
// ctx cancelled) the target is left as it was. src and dst are any
// *sql.DB, vap's (sql.Open("vap", name)) or a real driver's; their
// connection types are found from their drivers.
func Copy(ctx context.Context, src, dst *sql.DB, opt Options) (Result, error) {
	var res Result
	if strings.TrimSpace(opt.Query) == "" {
		return res, errors.New("transfer: no query")
	}
	t, err := parseTable(opt.Table)
	if err != nil {
		return res, fmt.Errorf("transfer: %w", err)
	}
	if opt.Batch < 0 {
		return res, errors.New("transfer: batch must be 0 or more")
	}
	if opt.Batch == 0 {
		opt.Batch = DefaultBatch
	}
	srcType, err := typeOf(ctx, src)
	if err != nil {
		return res, fmt.Errorf("transfer: source: %w", err)
	}
	conn, err := dst.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("transfer: target: %w", err)
	}
	defer conn.Close()
	var dstType *registry.Type
	conn.Raw(func(dc any) error { dstType = registry.Default.ForDriver(dc); return nil })
	load := loadOf(dstType)

	var infos []coltype.Info // the source's precision and scale, for Create
	if opt.Create && srcType != nil && srcType.DescribeQuery != nil {
		if sc, err := src.Conn(ctx); err == nil {
			infos, _ = srcType.DescribeQuery(ctx, sc, opt.Query) // best effort: the rows' kinds suffice
			sc.Close()
		}
	}
	if opt.Create {
		if _, err := describeTable(ctx, conn, dstType, t); err == nil {
			return res, fmt.Errorf("transfer: table %s already exists (Create makes a new table)", opt.Table)
		}
	}

	cctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	s := startSource(cctx, src, opt.Query, opt.Args, opt.Batch)
	defer func() { cancel(errors.New("transfer ended")); <-s.done }()
	select {
	case <-s.ready:
	case <-ctx.Done():
		return res, fmt.Errorf("transfer: %w", context.Cause(ctx))
	}
	if len(s.cols) == 0 { // the query failed before its columns came
		<-s.done
		if s.err == nil {
			s.err = errors.New("the statement returns no rows")
		}
		return res, fmt.Errorf("transfer: source: %w", s.err)
	}
	srcCols := make([]registry.LoadColumn, len(s.cols))
	for j, c := range s.cols {
		info := coltype.NewInfo(c.DatabaseType)
		if len(infos) == len(s.cols) && strings.EqualFold(infos[j].Name, c.DatabaseType) {
			info = infos[j]
		}
		srcCols[j] = loadColumn(srcType, c.Name, info, c.Kind)
	}

	w := &writer{conn: conn, typ: dstType, load: load, table: t, opt: &opt}
	res, err = w.run(cctx, s, srcCols)
	if err != nil {
		cancel(err)
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%w)", err, context.Cause(ctx))
		}
		return Result{}, fmt.Errorf("transfer: %w; nothing was written to %s", err, opt.Table)
	}
	return res, nil
}

// typeOf is the connection type of db's driver; nil when no linked type
// knows it.
func typeOf(ctx context.Context, db *sql.DB) (*registry.Type, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var typ *registry.Type
	err = c.Raw(func(dc any) error { typ = registry.Default.ForDriver(dc); return nil })
	return typ, err
}

// standard is the Load of a family that declares none.
var standard = &registry.Load{
	Quote: registry.QuoteDouble,
	ColumnType: (&registry.DDLTypes{
		Int64: "BIGINT", Float64: "DOUBLE PRECISION", Bytes: "BLOB", Bool: "BOOLEAN", Text: "VARCHAR(4000)",
		Decimal: "NUMERIC(%d,%d)", MaxPrecision: 38, DecimalDefault: "NUMERIC(38,10)",
		Date: "DATE", Clock: "TIME", Wall: "TIMESTAMP", Instant: "TIMESTAMP WITH TIME ZONE",
	}).ColumnType,
}

// loadOf is typ's Load with the standard's for what it leaves out.
func loadOf(typ *registry.Type) *registry.Load {
	if typ == nil || typ.Load == nil {
		return standard
	}
	l := *typ.Load
	if l.Quote == nil {
		l.Quote = standard.Quote
	}
	if l.ColumnType == nil {
		l.ColumnType = standard.ColumnType
	}
	return &l
}

// writer is one load into the target.
type writer struct {
	conn  *sql.Conn
	typ   *registry.Type
	load  *registry.Load
	table table
	opt   *Options
}

// run creates the table if asked, opens the transaction, matches the
// columns, loads and commits; on error it rolls back and drops what it
// created.
func (w *writer) run(ctx context.Context, s *source, srcCols []registry.LoadColumn) (res Result, err error) {
	target := w.table // where the rows go: the table, or a staging table
	staged := false
	if w.opt.Create {
		if err := createCheck(srcCols); err != nil {
			return res, err
		}
		if !w.load.TxDDL {
			var id [4]byte
			rand.Read(id[:])
			base := unquoted(w.table.name)
			for len(base) > 40 { // identifiers are limited (MySQL: 64)
				_, size := utf8.DecodeLastRuneInString(base)
				base = base[:len(base)-size]
			}
			target.name = w.load.Quote(base + "_vap_" + hex.EncodeToString(id[:]))
			if _, err := w.conn.ExecContext(ctx, w.createSQL(target, srcCols)); err != nil {
				return res, fmt.Errorf("creating staging table %s: %w", target.sql(), err)
			}
			staged = true
			defer func() {
				if err != nil {
					dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
					defer cancel()
					if _, derr := w.conn.ExecContext(dctx, "DROP TABLE "+target.sql()); derr != nil {
						err = fmt.Errorf("%w (and dropping the staging table %s failed: %v)", err, target.sql(), derr)
					}
				}
			}()
		}
	}
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("target: beginning a transaction: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			// A connection whose rollback failed, or whose load was
			// cancelled (database/sql rolls back then, perhaps in the
			// middle of a bulk load message), is not reused.
			if rerr := tx.Rollback(); (rerr != nil && !errors.Is(rerr, sql.ErrTxDone)) || ctx.Err() != nil {
				w.conn.Raw(func(any) error { return driver.ErrBadConn }) // do not reuse
			}
		}
	}()
	if w.opt.Create && !staged {
		if _, err := tx.ExecContext(ctx, w.createSQL(target, srcCols)); err != nil {
			return res, fmt.Errorf("creating table %s: %w", w.opt.Table, err)
		}
	}
	dstCols, err := describeTable(ctx, tx, w.typ, target)
	if err != nil {
		return res, fmt.Errorf("target table %s: %w", w.opt.Table, err)
	}
	cols, err := match(srcCols, dstCols)
	if err != nil {
		return res, err
	}
	rows := &loadRows{s: s, src: srcCols, dst: cols, progress: w.opt.Progress, ncol: len(cols)}
	req := &registry.LoadRequest{Conn: w.conn, Tx: tx, Table: target.sql(), Schema: unquoted(target.schema), Name: unquoted(target.name), Columns: cols, Rows: rows}
	if w.load.Check != nil {
		if err := w.load.Check(ctx, req); err != nil {
			return res, err
		}
	}
	var n int64
	res.Method = "INSERT"
	if w.load.Bulk != nil {
		n, err = w.load.Bulk(ctx, req)
		res.Method = w.load.BulkName
	}
	if w.load.Bulk == nil || errors.Is(err, registry.ErrNoBulk) {
		res.Method = "INSERT"
		bind := registry.Question
		if w.typ != nil {
			bind = w.typ.Bind
		}
		per := w.load.InsertRows
		if w.load.InsertParams > 0 && len(cols) > 0 {
			per = min(max(per, 1), max(w.load.InsertParams/len(cols), 1))
		}
		n, err = insertRows(ctx, tx, bind, w.load.Quote, target, cols, per, req.Rows)
	}
	if err == nil && rows.err != nil {
		err = rows.err
	}
	if err != nil {
		return res, err
	}
	if n != rows.n {
		return res, fmt.Errorf("the target took %d of %d rows", n, rows.n)
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("commit: %w", err)
	}
	committed = true
	if staged {
		rename := w.load.RenameTable
		if rename == nil {
			rename = func(schema, from, to string) string {
				if schema != "" {
					from = schema + "." + from
				}
				return "ALTER TABLE " + from + " RENAME TO " + to
			}
		}
		if _, err := w.conn.ExecContext(ctx, rename(w.table.schema, target.name, w.table.name)); err != nil {
			return res, fmt.Errorf("renaming the staging table %s to %s: %w", target.sql(), w.opt.Table, err)
		}
	}
	if w.opt.Progress != nil {
		w.opt.Progress(rows.n)
	}
	return Result{Rows: n, Method: res.Method, Created: w.opt.Create}, nil
}

// match pairs each source column with the target column of its name
// (exactly, else ignoring case) and checks its values can go there.
func match(src, dst []registry.LoadColumn) ([]registry.LoadColumn, error) {
	out := make([]registry.LoadColumn, len(src))
	var missing []string
	for j, c := range src {
		k := -1
		for i, d := range dst {
			if d.Name == c.Name {
				k = i
				break
			}
		}
		if k < 0 {
			for i, d := range dst {
				if strings.EqualFold(d.Name, c.Name) {
					k = i
					break
				}
			}
		}
		if k < 0 {
			missing = append(missing, fmt.Sprintf("%q", c.Name))
			continue
		}
		if err := writable(c, dst[k]); err != nil {
			return nil, err
		}
		out[j] = dst[k]
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the target table has no column %s (the result's columns are matched to the table's by name)", strings.Join(missing, ", "))
	}
	return out, nil
}

// createCheck refuses a result a table cannot be made of.
func createCheck(cols []registry.LoadColumn) error {
	seen := make(map[string]bool, len(cols))
	for _, c := range cols {
		k := strings.ToLower(c.Name)
		if c.Name == "" {
			return errors.New("a result column has no name: name it in the query (AS name)")
		}
		if seen[k] {
			return fmt.Errorf("two result columns are named %q: rename one in the query", c.Name)
		}
		seen[k] = true
	}
	return nil
}

// createSQL is the CREATE TABLE of a table with a column per source column.
func (w *writer) createSQL(t table, cols []registry.LoadColumn) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE " + t.sql() + " (")
	for j, c := range cols {
		if j > 0 {
			b.WriteString(", ")
		}
		if c.Kind == coltype.Null || c.Kind == coltype.Any {
			c.Kind = coltype.String
		}
		b.WriteString(w.load.Quote(c.Name) + " " + w.load.ColumnType(c))
	}
	b.WriteString(")")
	return b.String()
}
