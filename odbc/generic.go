package odbc

import (
	"context"
	"database/sql"
)

// genericQuery runs a query through database/sql and normalizes each value:
// the path for every driver but pgx.
//
// abort cancels ctx; it is called before the rows close when the query ends
// early, since some drivers (go-sql-driver/mysql) drain the rest of the
// result on Close.
func genericQuery(ctx context.Context, abort func(), conn *sql.Conn, fam family, query string, args []any, b *builder) (err error) {
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
	var lengths []int64
	if fam == famMySQL {
		lengths = mysqlLengths(rows, len(cts))
	}
	cols := make([]Column, len(cts))
	specs := make([]colSpec, len(cts))
	for j, ct := range cts {
		ti := typeInfo{name: ct.DatabaseTypeName(), length: -1, precision: -1, scale: -1}
		if l, ok := ct.Length(); ok {
			ti.length = l
		}
		if p, s, ok := ct.DecimalSize(); ok {
			ti.precision, ti.scale = p, s
		}
		if lengths != nil {
			ti.mysqlBoolLength = lengths[j] == 1
		}
		specs[j] = classify(fam, ti)
		nullable, ok := ct.Nullable()
		cols[j] = Column{Name: ct.Name(), DatabaseType: ti.name, Kind: specs[j].kind, Nullable: nullable || !ok}
	}
	b.start(cols)

	// Plain text and binary columns scan as RawBytes, appended to the arena
	// without an intermediate copy; the rest scan as the driver's value.
	vals := make([]any, len(cts))
	raws := make([]sql.RawBytes, len(cts))
	dest := make([]any, len(cts))
	plain := make([]bool, len(cts))
	for j := range dest {
		s := &specs[j]
		plain[j] = (s.kind == KindString || s.kind == KindBytes) && !s.guid && !s.uuid && !s.flexible
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
				return &ConvertError{Column: cols[j].Name, Row: int(b.total), Kind: c.kind, Err: err}
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
