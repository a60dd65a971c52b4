package odbc

import (
	"context"
	"database/sql"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
)

// genericQuery runs a query through database/sql and normalizes each value:
// the path for every driver but pgx. typ (nil when unknown) classifies the
// columns.
//
// abort cancels ctx; it is called before the rows close when the query ends
// early, since some drivers (go-sql-driver/mysql) drain the rest of the
// result on Close.
func genericQuery(ctx context.Context, abort func(), conn *sql.Conn, typ *registry.Type, query string, args []any, b *builder) (err error) {
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	defer func() {
		if err != nil {
			abort()
		}
	}()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	infos := make([]coltype.Info, len(cts))
	for j, ct := range cts {
		infos[j] = coltype.NewInfo(ct.DatabaseTypeName())
		if l, ok := ct.Length(); ok {
			infos[j].Length = l
		}
		if p, s, ok := ct.DecimalSize(); ok {
			infos[j].Precision, infos[j].Scale = p, s
		}
	}
	if typ != nil && typ.DescribeColumns != nil {
		typ.DescribeColumns(rows, infos)
	}
	names := make([]string, len(cts))
	nullable := make([]*bool, len(cts))
	for j, ct := range cts {
		names[j] = ct.Name()
		if n, ok := ct.Nullable(); ok {
			nullable[j] = &n
		}
	}
	specs := describe(typ, names, infos, nullable, b)

	// Plain text and binary columns scan as RawBytes, appended to the arena
	// without an intermediate copy; the rest scan as the driver's value.
	vals := make([]any, len(cts))
	raws := make([]sql.RawBytes, len(cts))
	dest := make([]any, len(cts))
	plain := make([]bool, len(cts))
	for j := range dest {
		plain[j] = plainText(&specs[j])
		if plain[j] {
			dest[j] = &raws[j]
		} else {
			dest[j] = &vals[j]
		}
	}
	data := b.cols()
	for row := 0; rows.Next(); row++ {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for j := range dest {
			c := &data[j]
			if plain[j] {
				if raws[j] == nil {
					c.appendNull()
				} else {
					c.appendBytes(raws[j])
				}
				continue
			}
			if err := appendValue(c, &specs[j], vals[j]); err != nil {
				return &ConvertError{Column: names[j], Row: int(b.total), Kind: c.kind, Err: err}
			}
			vals[j] = nil
		}
		if err := b.endRow(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := rows.Close(); err != nil {
		return err
	}
	return b.finish()
}
