package mssql

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
	"unicode/utf16"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
)

// bulkBatchBytes is about how many bytes of values one INSERT BULK carries;
// the next rows go in another, in the same transaction.
var bulkBatchBytes = 32 << 20

// bulkTypes are the column types bulk copy writes; a table with a column
// of another type (VARCHAR, whose code page is its collation's, which the
// driver does not expose; TEXT, XML, SQL_VARIANT …) is loaded with INSERTs.
var bulkTypes = map[string]bool{
	"BIT": true, "TINYINT": true, "SMALLINT": true, "INT": true, "BIGINT": true, "REAL": true, "FLOAT": true,
	"DECIMAL": true, "NUMERIC": true, "MONEY": true, "SMALLMONEY": true, "NVARCHAR": true, "NCHAR": true,
	"VARBINARY": true, "BINARY": true, "DATE": true, "TIME": true, "DATETIME2": true, "DATETIMEOFFSET": true,
	"DATETIME": true, "UNIQUEIDENTIFIER": true,
}

// bulkCopy writes req's rows with go-mssqldb's bulk copy (mssql.CopyIn:
// INSERT BULK, then the rows in a TDS bulk load message) in req.Tx.
// ErrNoBulk: a column type bulk copy does not write, or the server
// refused INSERT BULK; the row read to find out is given back in req.Rows.
func bulkCopy(ctx context.Context, req *registry.LoadRequest) (int64, error) {
	names := make([]string, len(req.Columns))
	for j, c := range req.Columns {
		base, _ := coltype.Split(c.Type.Name)
		if !bulkTypes[strings.ToUpper(base)] {
			return 0, registry.ErrNoBulk
		}
		names[j] = c.Name
	}
	vals := make([]any, len(req.Columns))
	args := make([]any, len(req.Columns))
	if !req.Rows.Next(vals) {
		return 0, req.Rows.Err()
	}
	var total, row int64
	for more := true; more; {
		stmt, err := req.Tx.PrepareContext(ctx, mssql.CopyIn(req.Table, mssql.BulkOptions{}, names...))
		if err != nil {
			return total, err
		}
		added, size := 0, 0
		// fail ends a bulk load that failed on the client's side. The
		// message the server is reading is ended, so the connection stays
		// in step, and the caller rolls the transaction back. When ctx is
		// cancelled, database/sql rolls the transaction back itself and
		// discards the connection, whose bulk load message is cut short.
		fail := func(err error) (int64, error) {
			if ctx.Err() != nil {
				stmt.Close()
				return total, ctx.Err()
			}
			if added > 0 {
				_, _ = stmt.ExecContext(ctx)
			}
			stmt.Close()
			return total, err
		}
		for more && size < bulkBatchBytes {
			row++
			for j, c := range req.Columns {
				v, n, err := bulkValue(c, vals[j])
				if err != nil {
					return fail(&registry.LoadError{Row: row, Err: fmt.Errorf("column %s: %w", c.Name, err)})
				}
				args[j] = v
				size += n
			}
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				var me mssql.Error
				if row == 1 && errors.As(err, &me) {
					// INSERT BULK refused: nothing was written
					stmt.Close()
					req.Rows = &replay{first: append([]any(nil), vals...), rest: req.Rows}
					return 0, registry.ErrNoBulk
				}
				return fail(&registry.LoadError{Row: row, Err: err})
			}
			added++
			more = req.Rows.Next(vals)
		}
		if !more && req.Rows.Err() != nil {
			return fail(req.Rows.Err())
		}
		res, err := stmt.ExecContext(ctx) // the end of the bulk load: the server answers
		stmt.Close()
		if err != nil {
			if ctx.Err() != nil {
				return total, ctx.Err()
			}
			return total, fmt.Errorf("bulk copy of rows %d–%d: %w", total+1, row, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// replay yields first, then the rows of rest.
type replay struct {
	first []any
	rest  registry.LoadRows
}

func (r *replay) Next(vals []any) bool {
	if r.first != nil {
		copy(vals, r.first)
		r.first = nil
		return true
	}
	return r.rest.Next(vals)
}

func (r *replay) Err() error { return r.rest.Err() }

// intRanges are the values the integer types hold.
var intRanges = map[string][2]int64{
	"TINYINT": {0, math.MaxUint8}, "SMALLINT": {math.MinInt16, math.MaxInt16},
	"INT": {math.MinInt32, math.MaxInt32}, "BIGINT": {math.MinInt64, math.MaxInt64},
}

// bulkValue is v (a value of c's kind) as go-mssqldb's bulk copy takes
// it for c's type, and about how many bytes it takes; an error for a
// value the column cannot hold (the driver would cut it silently).
func bulkValue(c registry.LoadColumn, v any) (any, int, error) {
	if v == nil {
		return nil, 1, nil
	}
	base, _ := coltype.Split(c.Type.Name)
	base = strings.ToUpper(base)
	switch x := v.(type) {
	case int64:
		if r, ok := intRanges[base]; ok && (x < r[0] || x > r[1]) {
			return nil, 0, fmt.Errorf("%d is out of range for %s", x, base)
		}
		return x, 8, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, 0, fmt.Errorf("%v is not a %s value", x, base)
		}
		if base == "REAL" && math.Abs(x) > math.MaxFloat32 {
			return nil, 0, fmt.Errorf("%v is out of range for REAL", x)
		}
		return x, 8, nil
	case string:
		switch base {
		case "DECIMAL", "NUMERIC", "MONEY", "SMALLMONEY":
			s, err := decimalText(x, base, c.Type)
			return s, len(s), err
		case "UNIQUEIDENTIFIER":
			g, err := guidBytes(x)
			return g, 16, err
		}
		if n := len(utf16.Encode([]rune(x))); c.Type.Length > 0 && int64(n) > c.Type.Length {
			return nil, 0, fmt.Errorf("%d characters do not fit %s(%d)", n, base, c.Type.Length)
		}
		return x, 2 * len(x), nil
	case []byte:
		if c.Type.Length > 0 && int64(len(x)) > c.Type.Length {
			return nil, 0, fmt.Errorf("%d bytes do not fit %s(%d)", len(x), base, c.Type.Length)
		}
		return x, len(x), nil
	case time.Time:
		return x, 10, nil
	}
	return v, 8, nil
}

// decimalText is s, a decimal number, rounded to the column's scale (half
// away from zero, as SQL Server rounds) as the driver wants it; an error
// when it has more integer digits than the column holds.
func decimalText(s, base string, t coltype.Info) (string, error) {
	prec, scale := t.Precision, t.Scale
	switch base {
	case "MONEY":
		prec, scale = 19, 4
	case "SMALLMONEY":
		prec, scale = 10, 4
	}
	if prec <= 0 || scale < 0 || scale > prec {
		prec, scale = 38, 0
		if i := strings.IndexByte(s, '.'); i >= 0 {
			scale = int64(min(len(s)-i-1, 38))
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return "", fmt.Errorf("%q is not a number", s)
	}
	out := r.FloatString(int(scale))
	digits := strings.TrimLeft(strings.TrimPrefix(out, "-"), "0")
	if i := strings.IndexByte(digits, '.'); i >= 0 {
		digits = digits[:i]
	}
	if int64(len(digits)) > prec-scale {
		return "", fmt.Errorf("%s is out of range for %s(%d,%d)", s, base, prec, scale)
	}
	return out, nil
}

// guidBytes is a UNIQUEIDENTIFIER's text (with or without braces) in the
// byte order SQL Server sends it: the first three groups little-endian.
func guidBytes(s string) ([]byte, error) {
	h := strings.Trim(s, "{}")
	if len(h) != 36 || h[8] != '-' || h[13] != '-' || h[18] != '-' || h[23] != '-' {
		return nil, fmt.Errorf("%q is not a UNIQUEIDENTIFIER", s)
	}
	h = strings.ReplaceAll(h, "-", "")
	var b [16]byte
	for i := range b {
		var v byte
		for _, c := range h[2*i : 2*i+2] {
			switch {
			case c >= '0' && c <= '9':
				v = v<<4 | byte(c-'0')
			case c >= 'a' && c <= 'f':
				v = v<<4 | byte(c-'a'+10)
			case c >= 'A' && c <= 'F':
				v = v<<4 | byte(c-'A'+10)
			default:
				return nil, fmt.Errorf("%q is not a UNIQUEIDENTIFIER", s)
			}
		}
		b[i] = v
	}
	return []byte{b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]}, nil
}
