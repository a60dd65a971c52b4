package odbc

import (
	"encoding/base64"
	"encoding/csv"
	"io"
	"strconv"
	"time"
)

// WriteCSV writes the rows to w as CSV (RFC 4180): a header of column names,
// then one record per row. NULL is an empty field; numbers and decimals are
// written as in JSON, booleans true/false, times RFC 3339 with nanoseconds,
// bytes base64.
func (r *Rows) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rec := make([]string, len(r.cols))
	for j, c := range r.cols {
		rec[j] = c.Name
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	var buf []byte
	for i := range r.n {
		for j := range r.data {
			c := &r.data[j]
			if c.isNull(i) {
				rec[j] = ""
				continue
			}
			buf = buf[:0]
			switch c.kind {
			case KindInt64:
				buf = strconv.AppendInt(buf, c.i64[i], 10)
			case KindFloat64:
				buf = appendJSONFloat(buf, c.f64[i])
				if buf[0] == '"' { // NaN, ±Inf
					buf = buf[1 : len(buf)-1]
				}
			case KindBool:
				buf = strconv.AppendBool(buf, c.bools[i])
			case KindTime:
				buf = c.times[i].AppendFormat(buf, time.RFC3339Nano)
			case KindDecimal, KindString:
				rec[j] = c.str(i, r.stable)
				continue
			case KindBytes:
				buf = base64.StdEncoding.AppendEncode(buf, c.raw(i))
			case KindAny:
				var err error
				if buf, err = c.appendJSON(buf, i); err != nil {
					return err
				}
				if s, err := strconv.Unquote(string(buf)); err == nil {
					rec[j] = s
					continue
				}
			}
			rec[j] = string(buf)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
