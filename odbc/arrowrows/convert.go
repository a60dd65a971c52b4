package arrowrows

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/vapsql/vap/odbc"
)

// builder appends odbc batches to Arrow column builders.
type builder struct {
	schema *arrow.Schema
	cols   []odbc.Column
	rb     *array.RecordBuilder
	n      int   // rows in the current record
	bytes  int64 // var-length bytes in the current record
	// dataLen holds each var-length column's bytes in the last record
	// (reserveLike).
	dataLen []int
	valid   []bool
	ts      []arrow.Timestamp
}

func newBuilder(mem memory.Allocator, cols []odbc.Column) *builder {
	s := Schema(cols)
	return &builder{schema: s, cols: cols, rb: array.NewRecordBuilder(mem, s)}
}

// sameColumns reports whether a batch has the columns the schema was made
// from (a column of unknown type may take a kind mid-stream).
func (b *builder) check(rows *odbc.Rows) error {
	cols := rows.Columns()
	if len(cols) != len(b.cols) {
		return fmt.Errorf("arrowrows: a batch has %d columns, the result %d", len(cols), len(b.cols))
	}
	for j, c := range cols {
		if c.Kind != b.cols[j].Kind {
			return fmt.Errorf("arrowrows: column %q changed from %s to %s mid-result (a column of unknown type whose first values were NULL)",
				c.Name, b.cols[j].Kind, c.Kind)
		}
	}
	return nil
}

// reserve makes room for n more rows.
func (b *builder) reserve(n int) {
	for _, f := range b.rb.Fields() {
		f.Reserve(n)
	}
}

// reserveLike makes room for n rows and, in each string or binary
// column, for as many bytes as the last record held.
func (b *builder) reserveLike(n int) {
	b.reserve(n)
	for j, f := range b.rb.Fields() {
		if bb, ok := binaryBuilder(f); ok && j < len(b.dataLen) {
			bb.ReserveData(b.dataLen[j])
		}
	}
}

func binaryBuilder(f array.Builder) (*array.BinaryBuilder, bool) {
	switch x := f.(type) {
	case *array.StringBuilder:
		return x.BinaryBuilder, true
	case *array.BinaryBuilder:
		return x, true
	}
	return nil, false
}

// appendRows appends rows [from, to) of a batch.
func (b *builder) appendRows(rows *odbc.Rows, from, to int) error {
	for j := range b.cols {
		if err := b.appendColumn(rows, j, from, to); err != nil {
			return fmt.Errorf("arrowrows: column %q: %w", b.cols[j].Name, err)
		}
	}
	b.n += to - from
	return nil
}

// validity fills b.valid for rows [from, to) of column j; nil when none is
// NULL.
func (b *builder) validity(rows *odbc.Rows, j, from, to int) []bool {
	v := b.valid[:0]
	anyNull := false
	for i := from; i < to; i++ {
		ok := !rows.IsNull(i, j)
		anyNull = anyNull || !ok
		v = append(v, ok)
	}
	b.valid = v
	if !anyNull {
		return nil
	}
	return v
}

func (b *builder) appendColumn(rows *odbc.Rows, j, from, to int) error {
	c := &b.cols[j]
	fb := b.rb.Field(j)
	// The typed accessors find a column by name: the first of that name.
	typed := rows.ColumnIndex(c.Name) == j
	if !typed {
		return b.appendValues(rows, j, from, to)
	}
	valid := b.validity(rows, j, from, to)
	switch c.Kind {
	case odbc.KindInt64:
		v, err := rows.Int64s(c.Name)
		if err != nil {
			return err
		}
		fb.(*array.Int64Builder).AppendValues(v[from:to], valid)
	case odbc.KindFloat64:
		v, err := rows.Float64s(c.Name)
		if err != nil {
			return err
		}
		fb.(*array.Float64Builder).AppendValues(v[from:to], valid)
	case odbc.KindBool:
		v, err := rows.Bools(c.Name)
		if err != nil {
			return err
		}
		fb.(*array.BooleanBuilder).AppendValues(v[from:to], valid)
	case odbc.KindString:
		v, err := rows.Strings(c.Name)
		if err != nil {
			return err
		}
		sb := fb.(*array.StringBuilder)
		growData(b, sb.BinaryBuilder, v[from:to])
		sb.AppendValues(v[from:to], valid)
	case odbc.KindBytes:
		v, err := rows.Bytes(c.Name)
		if err != nil {
			return err
		}
		bb := fb.(*array.BinaryBuilder)
		growData(b, bb, v[from:to])
		bb.AppendValues(v[from:to], valid)
	case odbc.KindDecimal:
		v, err := rows.Decimals(c.Name)
		if err != nil {
			return err
		}
		return b.appendDecimals(fb, v[from:to], valid)
	case odbc.KindTime:
		v, err := rows.Times(c.Name)
		if err != nil {
			return err
		}
		return b.appendTimes(fb, c.Time, v[from:to], valid)
	case odbc.KindNull:
		fb.AppendNulls(to - from)
	default: // KindAny
		return b.appendValues(rows, j, from, to)
	}
	return nil
}

// growData makes room for v's bytes in a string or binary builder,
// doubling its data buffer: the builder's own reservation grows it by just
// what is needed, which copies the buffer on every batch. It counts the
// bytes for maxBatchBytes.
func growData[T string | []byte](b *builder, bb *array.BinaryBuilder, v []T) {
	n := 0
	for _, s := range v {
		n += len(s)
	}
	b.bytes += int64(n)
	if bb.DataCap() < bb.DataLen()+n {
		bb.ReserveData(max(bb.DataCap(), n, 4096))
	}
}

func (b *builder) appendDecimals(fb array.Builder, v []string, valid []bool) error {
	switch db := fb.(type) {
	case *array.StringBuilder: // scale unknown: the exact text
		growData(b, db.BinaryBuilder, v)
		db.AppendValues(v, valid)
	case *array.Decimal128Builder:
		t := db.Type().(*arrow.Decimal128Type)
		for i, s := range v {
			if valid != nil && !valid[i] {
				db.AppendNull()
				continue
			}
			n, err := parseDecimal128(s, t.Precision, t.Scale)
			if err != nil {
				return err
			}
			db.Append(n)
		}
	case *array.Decimal256Builder:
		t := db.Type().(*arrow.Decimal256Type)
		for i, s := range v {
			if valid != nil && !valid[i] {
				db.AppendNull()
				continue
			}
			n, err := parseDecimal256(s, t.Precision, t.Scale)
			if err != nil {
				return err
			}
			db.Append(n)
		}
	}
	return nil
}

func (b *builder) appendTimes(fb array.Builder, tt odbc.TimeType, v []time.Time, valid []bool) error {
	switch tb := fb.(type) {
	case *array.TimestampBuilder:
		ts := b.ts[:0]
		for _, t := range v {
			ts = append(ts, arrow.Timestamp(t.UnixMicro()))
		}
		b.ts = ts
		tb.AppendValues(ts, valid)
	case *array.Date32Builder:
		for i, t := range v {
			if valid != nil && !valid[i] {
				tb.AppendNull()
				continue
			}
			d, err := toDate32(t)
			if err != nil {
				return err
			}
			tb.Append(d)
		}
	case *array.Time64Builder:
		for i, t := range v {
			if valid != nil && !valid[i] {
				tb.AppendNull()
				continue
			}
			tb.Append(toTime64(t))
		}
	}
	return nil
}

// toDate32 returns the days since 1970-01-01 of a date at midnight UTC.
func toDate32(t time.Time) (arrow.Date32, error) {
	sec := t.Unix()
	if sec%86400 != 0 || t.Nanosecond() != 0 {
		return 0, fmt.Errorf("the DATE value %s has a time of day", t.Format(time.RFC3339Nano))
	}
	return arrow.Date32(sec / 86400), nil
}

// toTime64 returns the microseconds since midnight of a time of day.
func toTime64(t time.Time) arrow.Time64 {
	h, m, s := t.Clock()
	return arrow.Time64((int64(h)*3600+int64(m)*60+int64(s))*1e6 + int64(t.Nanosecond()/1e3))
}

// appendValues appends a column value by value: KindAny, or a column whose
// name an earlier column also has.
func (b *builder) appendValues(rows *odbc.Rows, j, from, to int) error {
	fb := b.rb.Field(j)
	c := &b.cols[j]
	for i := from; i < to; i++ {
		v := rows.Value(i, j)
		if v == nil {
			fb.AppendNull()
			continue
		}
		if c.Kind == odbc.KindAny {
			s := anyText(v)
			b.bytes += int64(len(s))
			fb.(*array.StringBuilder).Append(s)
			continue
		}
		var err error
		switch x := v.(type) {
		case int64:
			fb.(*array.Int64Builder).Append(x)
		case float64:
			fb.(*array.Float64Builder).Append(x)
		case bool:
			fb.(*array.BooleanBuilder).Append(x)
		case []byte:
			b.bytes += int64(len(x))
			fb.(*array.BinaryBuilder).Append(x)
		case string:
			if c.Kind == odbc.KindDecimal {
				err = b.appendDecimals(fb, []string{x}, nil)
			} else {
				b.bytes += int64(len(x))
				fb.(*array.StringBuilder).Append(x)
			}
		case time.Time:
			err = b.appendTimes(fb, c.Time, []time.Time{x}, nil)
		default:
			err = fmt.Errorf("unexpected %T value in a %s column", v, c.Kind)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// anyText is a KindAny value as text: numbers as Go formats them, times
// RFC 3339, bytes as hex ("\x…", as PostgreSQL prints bytea).
func anyText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case []byte:
		return fmt.Sprintf(`\x%x`, x)
	}
	return fmt.Sprint(v)
}

// newRecord ends the current record.
func (b *builder) newRecord() arrow.RecordBatch {
	b.n, b.bytes = 0, 0
	if b.dataLen == nil {
		b.dataLen = make([]int, len(b.cols))
	}
	for j, f := range b.rb.Fields() {
		if bb, ok := binaryBuilder(f); ok {
			b.dataLen[j] = bb.DataLen()
		}
	}
	return b.rb.NewRecordBatch()
}

func (b *builder) release() { b.rb.Release() }

// parseDecimal128 parses an exact decimal text into a decimal of the given
// scale: fast for up to 18 digits, big.Int beyond. More fractional digits
// than the scale, or more digits than the precision, is an error (the
// column's declared size was wrong).
func parseDecimal128(s string, prec, scale int32) (decimal128.Num, error) {
	if u, neg, ok := parseSmallDecimal(s, scale); ok {
		n := decimal128.FromU64(u)
		if neg {
			n = n.Negate()
		}
		if !n.FitsInPrecision(prec) {
			return n, fmt.Errorf("the decimal %s has more than %d digits", s, prec)
		}
		return n, nil
	}
	bi, err := parseBigDecimal(s, scale)
	if err != nil {
		return decimal128.Num{}, err
	}
	if bi.BitLen() > 127 {
		return decimal128.Num{}, fmt.Errorf("the decimal %s has more than %d digits", s, prec)
	}
	n := decimal128.FromBigInt(bi)
	if !n.FitsInPrecision(prec) {
		return n, fmt.Errorf("the decimal %s has more than %d digits", s, prec)
	}
	return n, nil
}

func parseDecimal256(s string, prec, scale int32) (decimal256.Num, error) {
	if u, neg, ok := parseSmallDecimal(s, scale); ok {
		n := decimal256.FromU64(u)
		if neg {
			n = n.Negate()
		}
		return n, nil // at most 19 digits: fits any decimal256 precision over 38
	}
	bi, err := parseBigDecimal(s, scale)
	if err != nil {
		return decimal256.Num{}, err
	}
	if bi.BitLen() > 255 {
		return decimal256.Num{}, fmt.Errorf("the decimal %s has more than %d digits", s, prec)
	}
	n := decimal256.FromBigInt(bi)
	if !n.FitsInPrecision(prec) {
		return n, fmt.Errorf("the decimal %s has more than %d digits", s, prec)
	}
	return n, nil
}

// parseSmallDecimal parses [-+]digits[.digits] with at most 19 digits once
// scaled to scale; false for anything else (then parseBigDecimal decides).
func parseSmallDecimal(s string, scale int32) (u uint64, neg, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	digits, frac, seenDot, seenDigit := 0, int32(0), false, false
	for ; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
			seenDigit = true
			if seenDot {
				frac++
				if frac > scale {
					return 0, false, false
				}
			}
			if u == 0 && ch == '0' {
				continue
			}
			digits++
			if digits > 18 {
				return 0, false, false
			}
			u = u*10 + uint64(ch-'0')
		case ch == '.' && !seenDot:
			seenDot = true
		default:
			return 0, false, false
		}
	}
	if !seenDigit || digits+int(scale-frac) > 18 {
		return 0, false, false
	}
	for ; frac < scale; frac++ {
		u *= 10
	}
	return u, neg, true
}

// parseBigDecimal parses a decimal text (exponents allowed) into an
// integer of the given scale, exactly.
func parseBigDecimal(s string, scale int32) (*big.Int, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok || strings.ContainsRune(s, '/') {
		return nil, fmt.Errorf("%q is not a decimal number", s)
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
	if !r.IsInt() {
		return nil, fmt.Errorf("the decimal %s has more than %d decimal places", s, scale)
	}
	return r.Num(), nil
}
