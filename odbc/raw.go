package odbc

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"unicode"
	"unicode/utf8"

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
		rows, closeStmt, err := rawRows(ctx, realConn(dc), query, args, prepare)
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
// set. closeStmt, when not nil, closes the statement after the rows. The
// arguments are converted for the connection, or for the statement, as
// database/sql converts them on the same route. errNoRaw: the driver
// cannot serve the raw path, nothing ran.
func rawRows(ctx context.Context, dc any, query string, args []any, prepare bool) (rows driver.Rows, closeStmt func(), err error) {
	if q, ok := dc.(driver.QueryerContext); ok && !prepare {
		nvs, err := namedValues(nil, dc, args)
		if err != nil {
			return nil, nil, err
		}
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
	nvs, err := namedValues(st, dc, args)
	if err != nil {
		st.Close()
		return nil, nil, err
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
// does (driverArgsConnLocked): sql.NamedArg gives the name; the
// statement's NamedValueChecker, else the connection's, converts first;
// driver.ErrSkip passes to the statement's ColumnConverter, then to
// driver.DefaultParameterConverter; driver.ErrRemoveArgument drops the
// argument. st is nil on the QueryerContext route.
func namedValues(st driver.Stmt, dc any, args []any) ([]driver.NamedValue, error) {
	if len(args) == 0 {
		return nil, nil
	}
	nvc, ok := st.(driver.NamedValueChecker)
	if !ok {
		nvc, _ = dc.(driver.NamedValueChecker)
	}
	cc := colConverter{want: -1}
	if st != nil {
		cc.want = st.NumInput()
		//lint:ignore SA1019 database/sql still honours a statement's ColumnConverter; the raw path converts as it does
		cc.cci, _ = st.(driver.ColumnConverter)
	}
	out := make([]driver.NamedValue, 0, len(args))
	for _, a := range args {
		nv := driver.NamedValue{Ordinal: len(out) + 1, Value: a}
		if na, ok := a.(sql.NamedArg); ok {
			if r, _ := utf8.DecodeRuneInString(na.Name); na.Name != "" && !unicode.IsLetter(r) {
				return nil, fmt.Errorf("name %q does not begin with a letter", na.Name)
			}
			nv.Name, nv.Value = na.Name, na.Value
		}
		checkers := make([]func(*driver.NamedValue) error, 0, 3)
		switch {
		case nvc != nil:
			checkers = append(checkers, nvc.CheckNamedValue)
			if cc.cci != nil {
				checkers = append(checkers, cc.check)
			}
		case cc.cci != nil:
			checkers = append(checkers, cc.check)
		}
		checkers = append(checkers, defaultCheck)
		var err error
		for _, check := range checkers {
			if err = check(&nv); !errors.Is(err, driver.ErrSkip) {
				break
			}
		}
		switch {
		case errors.Is(err, driver.ErrRemoveArgument):
			continue
		case err != nil:
			return nil, fmt.Errorf("sql: converting argument %s type: %w", argName(nv), err)
		}
		out = append(out, nv)
	}
	return out, nil
}

func defaultCheck(nv *driver.NamedValue) (err error) {
	nv.Value, err = driver.DefaultParameterConverter.ConvertValue(nv.Value)
	return err
}

// colConverter is a statement's ColumnConverter as an argument checker.
type colConverter struct {
	//lint:ignore SA1019 database/sql still honours a statement's ColumnConverter; the raw path converts as it does
	cci  driver.ColumnConverter
	want int
}

func (c colConverter) check(nv *driver.NamedValue) error {
	i := nv.Ordinal - 1
	if c.want <= i {
		return nil
	}
	if vr, ok := nv.Value.(driver.Valuer); ok {
		rv := reflect.ValueOf(vr)
		if rv.Kind() == reflect.Pointer && rv.IsNil() && rv.Type().Elem().Implements(reflect.TypeFor[driver.Valuer]()) {
			nv.Value = nil // a nil pointer whose value type is the Valuer: NULL
		} else {
			v, err := vr.Value()
			if err != nil {
				return err
			}
			if !driver.IsValue(v) {
				return fmt.Errorf("non-subset type %T returned from Value", v)
			}
			nv.Value = v
		}
	}
	arg := nv.Value
	v, err := c.cci.ColumnConverter(i).ConvertValue(arg)
	if err != nil {
		return err
	}
	if !driver.IsValue(v) {
		return fmt.Errorf("driver ColumnConverter error converted %T to unsupported type %T", arg, v)
	}
	nv.Value = v
	return nil
}

func argName(nv driver.NamedValue) string {
	if nv.Name != "" {
		return "with name " + strconv.Quote(nv.Name)
	}
	return "$" + strconv.Itoa(nv.Ordinal)
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
