package odbc

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
)

// errNoRaw means the driver's connection cannot serve the raw path (it
// implements neither driver.QueryerContext nor driver.ConnPrepareContext):
// the caller takes the database/sql path instead.
var errNoRaw = errors.New("odbc: driver has no context query interface")

// rawQuery runs a query on the real driver's connection of conn and reads
// its driver.Rows straight into the columns: the path for every driver
// but pgx. It is database/sql's path without database/sql's per-value
// detour (the Scan into an any, its conversion and copy of byte values,
// its locks): the values are the driver's own, converted exactly as
// appendValue does on the database/sql path, so both give the same result.
// The driver's []byte values are copied into the column arenas before the
// next row overwrites them.
//
// abort cancels ctx; it is called before the rows close when the query
// ends early, since some drivers (go-sql-driver/mysql) drain the rest of
// the result on Close. prepare forces a prepared statement (the binary
// protocol on MySQL) for queries without arguments too.
func rawQuery(ctx context.Context, abort func(), conn *sql.Conn, typ *registry.Type, query string, args []any, prepare bool, b *builder) error {
	return conn.Raw(func(dc any) (err error) {
		nvs, err := namedValues(dc, args)
		if err != nil {
			return err
		}
		rows, closeStmt, err := rawRows(ctx, dc, query, nvs, prepare)
		if err != nil {
			return err
		}
		defer func() {
			if err != nil {
				abort()
			}
			if cerr := rows.Close(); err == nil {
				err = cerr
			}
			if closeStmt != nil {
				closeStmt()
			}
		}()
		return readRaw(ctx, rows, typ, b)
	})
}

// rawRows runs the query through the driver's QueryerContext, or a
// prepared statement when there is none, when the driver asks for one
// (driver.ErrSkip: go-sql-driver/mysql with arguments) or when prepare is
// set. closeStmt, when not nil, closes the statement after the rows.
func rawRows(ctx context.Context, dc any, query string, nvs []driver.NamedValue, prepare bool) (rows driver.Rows, closeStmt func(), err error) {
	if q, ok := dc.(driver.QueryerContext); ok && !prepare {
		rows, err = q.QueryContext(ctx, query, nvs)
		if !errors.Is(err, driver.ErrSkip) {
			return rows, nil, err
		}
	}
	p, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return nil, nil, errNoRaw
	}
	st, err := p.PrepareContext(ctx, query)
	if err != nil {
		return nil, nil, err
	}
	sq, ok := st.(driver.StmtQueryContext)
	if !ok {
		st.Close()
		return nil, nil, errNoRaw
	}
	if n := st.NumInput(); n >= 0 && n != len(nvs) {
		st.Close()
		return nil, nil, fmt.Errorf("sql: expected %d arguments, got %d", n, len(nvs))
	}
	if rows, err = sq.QueryContext(ctx, nvs); err != nil {
		st.Close()
		return nil, nil, err
	}
	return rows, func() { st.Close() }, nil
}

// rawUsable reports whether the raw path can run on the driver's
// connection dc.
func rawUsable(dc any) bool {
	switch dc.(type) {
	case driver.QueryerContext, driver.ConnPrepareContext:
		return true
	}
	return false
}

// namedValues converts query arguments for the driver as database/sql
// does: sql.NamedArg gives the name, the connection's NamedValueChecker
// converts when it has one, driver.DefaultParameterConverter otherwise (or
// when the checker answers driver.ErrSkip), and driver.ErrRemoveArgument
// drops the argument.
func namedValues(dc any, args []any) ([]driver.NamedValue, error) {
	if len(args) == 0 {
		return nil, nil
	}
	checker, _ := dc.(driver.NamedValueChecker)
	out := make([]driver.NamedValue, 0, len(args))
	for i, a := range args {
		nv := driver.NamedValue{Ordinal: len(out) + 1, Value: a}
		if na, ok := a.(sql.NamedArg); ok {
			nv.Name, nv.Value = na.Name, na.Value
		}
		err := driver.ErrSkip
		if checker != nil {
			err = checker.CheckNamedValue(&nv)
		}
		if errors.Is(err, driver.ErrSkip) {
			nv.Value, err = driver.DefaultParameterConverter.ConvertValue(nv.Value)
		}
		switch {
		case errors.Is(err, driver.ErrRemoveArgument):
			continue
		case err != nil:
			return nil, fmt.Errorf("sql: converting argument %s type: %w", argName(i, nv.Name), err)
		}
		out = append(out, nv)
	}
	return out, nil
}

func argName(i int, name string) string {
	if name != "" {
		return "$" + name
	}
	return fmt.Sprintf("$%d", i+1)
}

// readRaw describes the columns of rows and appends every row to them.
func readRaw(ctx context.Context, rows driver.Rows, typ *registry.Type, b *builder) error {
	names := rows.Columns()
	infos := make([]coltype.Info, len(names))
	nullable := make([]*bool, len(names))
	for j := range names {
		var name string
		if r, ok := rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
			name = r.ColumnTypeDatabaseTypeName(j)
		}
		infos[j] = coltype.NewInfo(name)
		if r, ok := rows.(driver.RowsColumnTypeLength); ok {
			if l, ok := r.ColumnTypeLength(j); ok {
				infos[j].Length = l
			}
		}
		if r, ok := rows.(driver.RowsColumnTypePrecisionScale); ok {
			if p, s, ok := r.ColumnTypePrecisionScale(j); ok {
				infos[j].Precision, infos[j].Scale = p, s
			}
		}
		if r, ok := rows.(driver.RowsColumnTypeNullable); ok {
			if n, ok := r.ColumnTypeNullable(j); ok {
				nullable[j] = &n
			}
		}
	}
	if typ != nil && typ.DescribeDriverColumns != nil {
		typ.DescribeDriverColumns(rows, infos)
	}
	specs := describe(typ, names, infos, nullable, b)
	plain := make([]bool, len(specs))
	for j := range specs {
		plain[j] = plainText(&specs[j])
	}

	dest := make([]driver.Value, len(names))
	data := b.cols()
	for {
		if b.total&1023 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		clear(dest)
		if err := rows.Next(dest); err != nil {
			if err == io.EOF {
				break
			}
			return err
		}
		for j, v := range dest {
			c := &data[j]
			if plain[j] {
				switch x := v.(type) {
				case nil:
					c.appendNull()
					continue
				case []byte:
					if x == nil { // NULL, as database/sql's RawBytes reads it
						c.appendNull()
					} else {
						c.appendBytes(x)
					}
					continue
				case string:
					c.appendString(x)
					continue
				}
			}
			if err := appendValue(c, &specs[j], v); err != nil {
				return &ConvertError{Column: names[j], Row: int(b.total), Kind: c.kind, Err: err}
			}
		}
		if err := b.endRow(); err != nil {
			return err
		}
	}
	return b.finish()
}
