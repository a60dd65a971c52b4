package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
)

// Load writes rows into PostgreSQL with COPY … FROM STDIN in text format
// through pgx, in the load's transaction; CREATE TABLE is transactional.
var Load = &registry.Load{
	Quote:      Quote,
	ColumnType: ColumnType,
	TxDDL:      true,
	BulkName:   "COPY",
	Bulk:       copyFrom,
}

// Quote quotes an identifier: "name", with " doubled.
func Quote(name string) string { return registry.QuoteDouble(name) }

// ColumnType is the type of a created column: BIGINT, DOUBLE PRECISION,
// NUMERIC(p,s) (plain NUMERIC when the source does not say), TEXT, BYTEA,
// BOOLEAN, DATE, TIME, TIMESTAMP, TIMESTAMPTZ.
func ColumnType(c registry.LoadColumn) string { return ddlTypes.ColumnType(c) }

var ddlTypes = registry.DDLTypes{
	Int64: "BIGINT", Float64: "DOUBLE PRECISION", Bytes: "BYTEA", Bool: "BOOLEAN", Text: "TEXT",
	Decimal: "NUMERIC(%d,%d)", MaxPrecision: 1000, DecimalDefault: "NUMERIC",
	Date: "DATE", Clock: "TIME", Wall: "TIMESTAMP", Instant: "TIMESTAMPTZ",
}

// DescribeQuery describes query's result columns with a Parse/Describe of
// the unnamed statement (nothing runs): NUMERIC's precision and scale and
// VARCHAR's length come from the type modifier.
func DescribeQuery(ctx context.Context, conn *sql.Conn, query string) ([]coltype.Info, error) {
	var out []coltype.Info
	err := conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("postgresql: connection is %T, not pgx", dc)
		}
		pc := sc.Conn()
		sd, err := pc.PgConn().Prepare(ctx, "", query, nil)
		if err != nil {
			return err
		}
		tm := pc.TypeMap()
		for _, f := range sd.Fields {
			name := strconv.FormatUint(uint64(f.DataTypeOID), 10)
			if t, ok := tm.TypeForOID(f.DataTypeOID); ok {
				name = strings.ToUpper(t.Name)
			}
			i := coltype.NewInfo(name)
			switch mod := int64(f.TypeModifier); {
			case mod < 4:
			case name == "NUMERIC":
				i.Precision, i.Scale = (mod-4)>>16&0xffff, (mod-4)&0xffff
			case name == "VARCHAR" || name == "BPCHAR":
				i.Length = mod - 4
			}
			out = append(out, i)
		}
		return nil
	})
	return out, err
}

// copyFrom runs COPY table (columns) FROM STDIN with the rows encoded in
// PostgreSQL's text format. An error the server reports for a line names
// that row.
func copyFrom(ctx context.Context, req *registry.LoadRequest) (int64, error) {
	var b strings.Builder
	b.WriteString("COPY " + req.Table + " (")
	for j, c := range req.Columns {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(Quote(c.Name))
	}
	b.WriteString(") FROM STDIN")
	r := registry.NewRowReader(req.Rows, req.Columns, appendRow)
	var n int64
	err := req.Conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("postgresql: connection is %T, not pgx", dc)
		}
		tag, err := sc.Conn().PgConn().CopyFrom(ctx, r, b.String())
		n = tag.RowsAffected()
		return err
	})
	if err := r.Err(); err != nil { // the rows failed: the server's CopyFail echo says less
		return n, err
	}
	if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) {
		if m := copyLine.FindStringSubmatch(pe.Where); m != nil {
			row, _ := strconv.ParseInt(m[1], 10, 64)
			return n, &registry.LoadError{Row: row, Err: err}
		}
	}
	return n, err
}

// copyLine finds the line of a COPY error's context ("COPY t, line 3,
// column v: …"); a row is a line in text format.
var copyLine = regexp.MustCompile(`^COPY [^\n]*, line ([0-9]+)`)

// appendRow appends one row in COPY text format: tab-separated, \N for
// NULL, backslash escapes, bytea as \\x hex, times as ISO 8601.
func appendRow(b []byte, cols []registry.LoadColumn, vals []any) ([]byte, error) {
	for j, v := range vals {
		if j > 0 {
			b = append(b, '\t')
		}
		switch x := v.(type) {
		case nil:
			b = append(b, `\N`...)
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case float64:
			switch {
			case math.IsNaN(x):
				b = append(b, "NaN"...)
			case math.IsInf(x, 1):
				b = append(b, "Infinity"...)
			case math.IsInf(x, -1):
				b = append(b, "-Infinity"...)
			default:
				b = strconv.AppendFloat(b, x, 'g', -1, 64)
			}
		case bool:
			if x {
				b = append(b, 't')
			} else {
				b = append(b, 'f')
			}
		case string:
			b = appendEscaped(b, x)
		case []byte:
			b = append(b, `\\x`...)
			for _, c := range x {
				b = append(b, hexDigits[c>>4], hexDigits[c&15])
			}
		case time.Time:
			b = appendTime(b, cols[j], x)
		default:
			return b, fmt.Errorf("column %s: cannot write a %T", cols[j].Name, v)
		}
	}
	return append(b, '\n'), nil
}

const hexDigits = "0123456789abcdef"

func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, '\\', '\\')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, c)
		}
	}
	return b
}

// appendTime writes a time for the column: a date, a time of day, or a
// timestamp (with +00 for a TIMESTAMPTZ); years before 1 as BC.
func appendTime(b []byte, c registry.LoadColumn, t time.Time) []byte {
	t = t.UTC()
	if c.Time == coltype.Clock {
		return t.AppendFormat(b, "15:04:05.999999")
	}
	bc := t.Year() < 1
	if bc {
		t = t.AddDate(1-2*t.Year(), 0, 0) // year y is 1-y BC
	}
	if c.Date {
		b = t.AppendFormat(b, "2006-01-02")
	} else {
		b = t.AppendFormat(b, "2006-01-02 15:04:05.999999")
		if c.Time == coltype.Instant {
			b = append(b, "+00"...)
		}
	}
	if bc {
		b = append(b, " BC"...)
	}
	return b
}
