package odbc

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"time"
)

// MarshalJSON encodes the rows as a JSON array of objects, keys in column
// order; see WriteJSON.
func (r *Rows) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// WriteJSON writes the rows to w as a JSON array of objects, one per row,
// keys in column order, followed by a newline. Types are preserved: integers,
// floats and decimals are JSON numbers (a decimal keeps its exact digits),
// booleans are true/false, times are RFC 3339 strings with nanoseconds,
// bytes are base64 strings, NULL is null, a JSON column's values (Column.JSON)
// are nested as they are. Values JSON cannot hold as numbers
// (NaN, ±Inf, a NUMERIC 'NaN') are written as strings.
func (r *Rows) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	keys := make([][]byte, len(r.cols))
	for j, c := range r.cols {
		k, _ := json.Marshal(c.Name)
		keys[j] = append(k, ':')
	}
	buf := make([]byte, 0, 256)
	bw.WriteByte('[')
	for i := range r.n {
		buf = buf[:0]
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '{')
		for j := range r.data {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, keys[j]...)
			if r.cols[j].JSON && !r.data[j].isNull(i) { // checked JSON text: nested as it is
				buf = append(buf, r.data[j].raw(i)...)
				continue
			}
			var err error
			if buf, err = r.data[j].appendJSON(buf, i); err != nil {
				return err
			}
		}
		buf = append(buf, '}')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// appendJSON appends row i's value as JSON.
func (c *colData) appendJSON(b []byte, i int) ([]byte, error) {
	if c.isNull(i) {
		return append(b, "null"...), nil
	}
	switch c.kind {
	case KindInt64:
		return strconv.AppendInt(b, c.i64[i], 10), nil
	case KindFloat64:
		return appendJSONFloat(b, c.f64[i]), nil
	case KindBool:
		return strconv.AppendBool(b, c.bools[i]), nil
	case KindTime:
		b = append(b, '"')
		b = c.times[i].AppendFormat(b, time.RFC3339Nano)
		return append(b, '"'), nil
	case KindDecimal:
		d := c.raw(i)
		if json.Valid(d) && len(d) > 0 && d[0] != '"' {
			return append(b, d...), nil
		}
		return appendJSONString(b, string(d)), nil
	case KindString:
		return appendJSONString(b, string(c.raw(i))), nil
	case KindBytes:
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, c.raw(i))
		return append(b, '"'), nil
	case KindAny:
		v := c.anys[i]
		if f, ok := v.(float64); ok {
			return appendJSONFloat(b, f), nil
		}
		if t, ok := v.(time.Time); ok {
			return append(append(append(b, '"'), t.Format(time.RFC3339Nano)...), '"'), nil
		}
		m, err := json.Marshal(v)
		if err != nil {
			return b, err
		}
		return append(b, m...), nil
	}
	return append(b, "null"...), nil
}

// appendJSONFloat formats f as encoding/json does, or as a string when JSON
// has no number for it.
func appendJSONFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"+Inf"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Inf"`...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // clean up e-09 to e-9, as encoding/json does
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

func appendJSONString(b []byte, s string) []byte {
	m, _ := json.Marshal(s) // valid UTF-8 or not, Marshal never fails on a string
	return append(b, m...)
}
