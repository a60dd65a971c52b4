package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/vapsql/vap/odbc"
)

// formats are vap query's output formats, in the order help lists them.
var formats = []string{"table", "csv", "tsv", "json", "ndjson", "parquet", "arrow", "arrows"}

// sink writes a streamed result in one format. begin gets the columns
// before the first row (also for a result without rows); end the row count.
type sink interface {
	begin(cols []odbc.Column) error
	row(r odbc.Row) error
	end(n int64) error
}

func newSink(format string, w *output) sink {
	switch format {
	case "csv":
		return &csvSink{w: w, sep: ','}
	case "tsv":
		return &csvSink{w: w, sep: '\t'}
	case "json":
		return &jsonSink{w: w, array: true}
	case "ndjson":
		return &jsonSink{w: w}
	case "table":
		return &tableSink{w: w}
	}
	return nil
}

// output is a buffered writer that a ticker flushes while rows trickle in,
// so the first rows show before the buffer fills.
type output struct {
	mu    sync.Mutex
	bw    *bufio.Writer
	dirty bool
	err   error
	stop  chan struct{}
	done  chan struct{}
}

func newOutput(w io.Writer) *output {
	o := &output{bw: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(o.done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-o.stop:
				return
			case <-t.C:
				o.mu.Lock()
				if o.dirty && o.err == nil {
					o.err = o.bw.Flush()
					o.dirty = false
				}
				o.mu.Unlock()
			}
		}
	}()
	return o
}

// write writes one piece (a row) under the lock.
func (o *output) write(b []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	_, o.err = o.bw.Write(b)
	o.dirty = true
	return o.err
}

// close stops the ticker and flushes.
func (o *output) close() error {
	close(o.stop)
	<-o.done
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err == nil {
		o.err = o.bw.Flush()
	}
	return o.err
}

// appendText appends v as csv, tsv and table cells show it: numbers as in
// JSON, times RFC 3339 with nanoseconds, booleans true/false, bytes base64
// (table: \x hex). NULL is handled by the callers.
func appendText(b []byte, v any) []byte {
	switch v := v.(type) {
	case int64:
		return strconv.AppendInt(b, v, 10)
	case float64:
		return strconv.AppendFloat(b, v, 'g', -1, 64)
	case bool:
		return strconv.AppendBool(b, v)
	case time.Time:
		return v.AppendFormat(b, time.RFC3339Nano)
	case string:
		return append(b, v...)
	case []byte:
		return base64.StdEncoding.AppendEncode(b, v)
	default:
		m, err := json.Marshal(v)
		if err != nil {
			return append(b, strings.TrimSpace(strings.ReplaceAll(err.Error(), "\n", " "))...)
		}
		return append(b, m...)
	}
}

// csvSink writes RFC 4180 CSV (sep ',': NULL is an empty field, a field is
// quoted when it holds the separator, a quote, CR or LF, or starts with a
// space) or TSV (sep '\t': PostgreSQL's text format, NULL as \N and tab,
// newline, carriage return and backslash escaped with a backslash).
type csvSink struct {
	w    *output
	sep  byte
	buf  []byte
	cell []byte
}

func (s *csvSink) field(v any, null bool) {
	if s.sep == '\t' {
		if null {
			s.buf = append(s.buf, `\N`...)
			return
		}
		s.cell = appendText(s.cell[:0], v)
		for _, c := range s.cell {
			switch c {
			case '\\':
				s.buf = append(s.buf, `\\`...)
			case '\t':
				s.buf = append(s.buf, `\t`...)
			case '\n':
				s.buf = append(s.buf, `\n`...)
			case '\r':
				s.buf = append(s.buf, `\r`...)
			default:
				s.buf = append(s.buf, c)
			}
		}
		return
	}
	if null {
		return
	}
	switch v.(type) {
	case int64, float64, bool, time.Time:
		s.buf = appendText(s.buf, v)
		return
	}
	s.cell = appendText(s.cell[:0], v)
	if !csvNeedsQuotes(s.cell) {
		s.buf = append(s.buf, s.cell...)
		return
	}
	s.buf = append(s.buf, '"')
	for _, c := range s.cell {
		if c == '"' {
			s.buf = append(s.buf, '"')
		}
		s.buf = append(s.buf, c)
	}
	s.buf = append(s.buf, '"')
}

// csvNeedsQuotes follows encoding/csv.
func csvNeedsQuotes(f []byte) bool {
	if len(f) == 0 {
		return false
	}
	if string(f) == `\.` || f[0] == ' ' || f[0] == '\t' {
		return true
	}
	for _, c := range f {
		if c == ',' || c == '"' || c == '\r' || c == '\n' {
			return true
		}
	}
	return false
}

func (s *csvSink) begin(cols []odbc.Column) error {
	s.buf = s.buf[:0]
	for j, c := range cols {
		if j > 0 {
			s.buf = append(s.buf, s.sep)
		}
		s.field(c.Name, false)
	}
	s.buf = append(s.buf, '\n')
	return s.w.write(s.buf)
}

func (s *csvSink) row(r odbc.Row) error {
	s.buf = s.buf[:0]
	for j := range r.Len() {
		if j > 0 {
			s.buf = append(s.buf, s.sep)
		}
		v := r.Value(j)
		s.field(v, v == nil)
	}
	s.buf = append(s.buf, '\n')
	return s.w.write(s.buf)
}

func (s *csvSink) end(int64) error { return nil }

// jsonSink writes an array of objects (array) or one object per line
// (NDJSON), keys in column order, values as odbc's WriteJSON writes them:
// numbers and decimals as JSON numbers, times RFC 3339, bytes base64, NULL
// null.
type jsonSink struct {
	w     *output
	array bool
	keys  [][]byte
	kinds []odbc.Kind
	buf   []byte
	n     int64
}

func (s *jsonSink) begin(cols []odbc.Column) error {
	s.keys = make([][]byte, len(cols))
	s.kinds = make([]odbc.Kind, len(cols))
	for j, c := range cols {
		k, _ := json.Marshal(c.Name)
		s.keys[j] = append(k, ':')
		s.kinds[j] = c.Kind
	}
	if s.array {
		return s.w.write([]byte{'['})
	}
	return nil
}

func (s *jsonSink) row(r odbc.Row) error {
	s.buf = s.buf[:0]
	if s.array && s.n > 0 {
		s.buf = append(s.buf, ',')
	}
	s.n++
	s.buf = append(s.buf, '{')
	for j := range r.Len() {
		if j > 0 {
			s.buf = append(s.buf, ',')
		}
		s.buf = append(s.buf, s.keys[j]...)
		s.buf = appendJSON(s.buf, r.Value(j), s.kinds[j])
	}
	s.buf = append(s.buf, '}')
	if !s.array {
		s.buf = append(s.buf, '\n')
	}
	return s.w.write(s.buf)
}

func (s *jsonSink) end(int64) error {
	if s.array {
		return s.w.write([]byte("]\n"))
	}
	return nil
}

func appendJSON(b []byte, v any, k odbc.Kind) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case float64:
		switch {
		case math.IsNaN(v):
			return append(b, `"NaN"`...)
		case math.IsInf(v, 1):
			return append(b, `"+Inf"`...)
		case math.IsInf(v, -1):
			return append(b, `"-Inf"`...)
		}
		m, _ := json.Marshal(v)
		return append(b, m...)
	case bool:
		return strconv.AppendBool(b, v)
	case time.Time:
		b = append(b, '"')
		b = v.AppendFormat(b, time.RFC3339Nano)
		return append(b, '"')
	case string:
		if k == odbc.KindDecimal && v != "" && v[0] != '"' && json.Valid([]byte(v)) {
			return append(b, v...)
		}
		if plainJSON(v) {
			b = append(b, '"')
			b = append(b, v...)
			return append(b, '"')
		}
		m, _ := json.Marshal(v) // escapes as encoding/json does (HTML characters too)
		return append(b, m...)
	case []byte:
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, v)
		return append(b, '"')
	}
	m, err := json.Marshal(v)
	if err != nil {
		m, _ = json.Marshal(err.Error())
	}
	return append(b, m...)
}

// plainJSON reports whether s needs no escaping in a JSON string as
// encoding/json writes it: printable ASCII other than the quote, the
// backslash and the HTML characters < > &.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c >= 0x7f, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}

// tableWindow is how many rows the table format holds to size its columns;
// later rows are padded to those widths (a wider value pushes the rest of
// its line right), as psql does with FETCH_COUNT.
const tableWindow = 1000

// tableSink writes an aligned table: the header, the rows, then "(N rows)".
// Cells are escaped for a terminal (control characters as \x1b, \t, \n),
// NULL shows as NULL and bytes as \x followed by hex.
type tableSink struct {
	w      *output
	cols   int
	widths []int
	held   [][]string // the first window's cells; nil once written
	buf    []byte
	cell   []byte
	sized  bool
}

func (s *tableSink) text(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return `\x` + strconvHex(v)
	case string:
		return escape(v)
	}
	s.cell = appendText(s.cell[:0], v)
	return escape(string(s.cell))
}

func strconvHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

func (s *tableSink) begin(cols []odbc.Column) error {
	s.cols = len(cols)
	s.widths = make([]int, len(cols))
	names := make([]string, len(cols))
	for j, c := range cols {
		names[j] = escape(c.Name)
	}
	s.held = append(s.held, names)
	return nil
}

func (s *tableSink) row(r odbc.Row) error {
	if !s.sized {
		cells := make([]string, s.cols)
		for j := range cells {
			cells[j] = s.text(r.Value(j))
		}
		s.held = append(s.held, cells)
		if len(s.held) > tableWindow {
			return s.flushHeld()
		}
		return nil
	}
	s.buf = s.buf[:0]
	for j := range s.cols {
		var n int
		s.buf, n = s.appendCell(s.buf, r.Value(j))
		if j == s.cols-1 {
			break
		}
		for range max(s.widths[j], n) + 2 - n {
			s.buf = append(s.buf, ' ')
		}
	}
	s.buf = append(s.buf, '\n')
	return s.w.write(s.buf)
}

// appendCell appends v as text shows it and returns its width in
// characters, without an intermediate string for the common values.
func (s *tableSink) appendCell(b []byte, v any) ([]byte, int) {
	start := len(b)
	switch v := v.(type) {
	case string:
		if printableASCII(v) {
			return append(b, v...), len(v)
		}
		b = append(b, escape(v)...)
	case int64, float64, bool, time.Time:
		b = appendText(b, v)
		return b, len(b) - start
	default:
		b = append(b, s.text(v)...)
	}
	return b, utf8.RuneCount(b[start:])
}

// printableASCII reports whether s is printable ASCII only.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// pad appends cell j, then the spaces up to the next column.
func (s *tableSink) pad(b []byte, j int, cell string) []byte {
	b = append(b, cell...)
	if j == s.cols-1 {
		return b
	}
	n := utf8.RuneCountInString(cell)
	for range max(s.widths[j], n) + 2 - n {
		b = append(b, ' ')
	}
	return b
}

// flushHeld sizes the columns by the held rows and writes them.
func (s *tableSink) flushHeld() error {
	for _, cells := range s.held {
		for j, c := range cells {
			s.widths[j] = max(s.widths[j], utf8.RuneCountInString(c))
		}
	}
	for _, cells := range s.held {
		s.buf = s.buf[:0]
		for j, c := range cells {
			s.buf = s.pad(s.buf, j, c)
		}
		s.buf = append(s.buf, '\n')
		if err := s.w.write(s.buf); err != nil {
			return err
		}
	}
	s.held, s.sized = nil, true
	return nil
}

func (s *tableSink) end(n int64) error {
	if !s.sized {
		if err := s.flushHeld(); err != nil {
			return err
		}
	}
	noun := "rows"
	if n == 1 {
		noun = "row"
	}
	return s.w.write([]byte("(" + strconv.FormatInt(n, 10) + " " + noun + ")\n"))
}
