package orapeer

// Queries: execute, describe, and rows sent in batches (OALL8, OFETCH).

import (
	"context"
	"strings"
)

// query executes a SELECT (or continues it) and writes the describe and
// the first rows.
func (s *session) query(ctx context.Context, w *ttcWriter, cur *cursor, sets [][]any, rowsWanted int) error {
	cur.closeRows()
	cur.pending, cur.fetched, cur.done = nil, 0, false
	var vals []any
	if len(sets) > 0 {
		vals = sets[0]
	}
	a, e := s.args(cur.prep, cur.binds, vals)
	if e != nil {
		return e
	}
	// the result outlives this call: its own context, cancelled when the
	// cursor closes or, during this call, by an interrupt
	rctx, stop := context.WithCancel(context.Background())
	unhook := context.AfterFunc(ctx, stop)
	defer unhook()
	rows, err := s.db.c.QueryContext(rctx, cur.prep.text, a...)
	if err != nil {
		stop()
		return err
	}
	cur.rows, cur.stop = rows, stop
	names, _ := rows.Columns()
	cts, _ := rows.ColumnTypes()
	cur.names = make([]string, len(names))
	cur.cols = make([]colType, len(names))
	known := make([]bool, len(names))
	for i, n := range names {
		switch {
		case len(names) == len(cur.prep.names) && cur.prep.names[i] != "":
			cur.names[i] = cur.prep.names[i]
		case cur.prep.quoted[n]:
			cur.names[i] = n
		default:
			cur.names[i] = strings.ToUpper(n)
		}
		if i < len(cur.prep.hints) && cur.prep.hints[i].ora != 0 {
			cur.cols[i], known[i] = cur.prep.hints[i], true
			continue
		}
		if i < len(cts) {
			if t, ok := parseDeclType(cts[i].DatabaseTypeName()); ok && cts[i].DatabaseTypeName() != "" {
				cur.cols[i], known[i] = t, true
			}
		}
	}
	// read the first batch, then type the undeclared columns by value
	if err := s.readRows(ctx, cur, max(rowsWanted, 1)); err != nil {
		cur.closeRows()
		return err
	}
	for i := range cur.cols {
		if known[i] {
			continue
		}
		cur.cols[i] = typVarchar
		for _, row := range cur.pending {
			switch row[i].(type) {
			case int64, float64:
				cur.cols[i] = typNumber
			case []byte:
				cur.cols[i] = typRaw
			case string:
				cur.cols[i] = typVarchar
			default:
				continue
			}
			break
		}
	}
	s.describe(w, cur)
	return s.writeRows(w, cur, rowsWanted)
}

// readRows buffers up to n rows of the open result.
func (s *session) readRows(ctx context.Context, cur *cursor, n int) error {
	for len(cur.pending) < n && !cur.done {
		if err := ctx.Err(); err != nil {
			return err
		}
		if cur.rows == nil || !cur.rows.Next() {
			if cur.rows != nil {
				if err := cur.rows.Err(); err != nil {
					return err
				}
			}
			cur.done = true
			cur.closeRows()
			break
		}
		row := make([]any, len(cur.cols))
		ptrs := make([]any, len(row))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := cur.rows.Scan(ptrs...); err != nil {
			return err
		}
		cur.pending = append(cur.pending, row)
	}
	return nil
}

// writeRows sends up to n buffered rows and the summary: ORA-01403 once
// the result is exhausted.
func (s *session) writeRows(w *ttcWriter, cur *cursor, n int) error {
	k := min(n, len(cur.pending))
	if k > 0 {
		w.u8(msgRowHeader, 0)
		w.ubi(len(cur.cols))
		w.ubi(0)
		w.ubi(0)
		w.ubi(0)
		w.ubi(0) // bit vector
		w.ubi(0) // rxhrid
	}
	for _, row := range cur.pending[:k] {
		w.u8(msgRowData)
		for i, t := range cur.cols {
			b, err := encodeValue(t, row[i])
			if err != nil {
				return err
			}
			w.clr(b)
		}
	}
	cur.pending = cur.pending[k:]
	cur.fetched += int64(k)
	if cur.done && len(cur.pending) == 0 {
		s.summary(w, 1403, cur.fetched, cur.id, "ORA-01403: no data found\n")
	} else {
		s.summary(w, 0, cur.fetched, cur.id, "")
	}
	return nil
}

// fetchCall answers OFETCH: the next rows of an open cursor.
func (s *session) fetchCall() error {
	id, err := s.r.ubi()
	if err != nil {
		return err
	}
	n, err := s.r.ubi()
	if err != nil {
		return err
	}
	cur, ok := s.cursors[id]
	w := &ttcWriter{}
	if !ok || cur.prep.kind != kindQuery {
		e := errf(1001, "invalid cursor")
		s.summary(w, e.code, 0, 0, e.wire())
		return s.send(w)
	}
	s.mu.Lock()
	s.running = cur.sql
	s.mu.Unlock()
	err = s.readRows(context.Background(), cur, max(n, 1))
	if err == nil {
		err = s.writeRows(w, cur, max(n, 1))
	}
	s.mu.Lock()
	s.running = ""
	s.mu.Unlock()
	if err != nil {
		e := toOra(err, s.user)
		w = &ttcWriter{}
		s.summary(w, e.code, cur.fetched, cur.id, e.wire())
	}
	return s.send(w)
}

// describe writes the column descriptions (message 16).
func (s *session) describe(w *ttcWriter, cur *cursor) {
	ttc := s.ttc()
	w.u8(msgDescribe)
	w.ubi(0) // no extra bytes (written as a short length)
	maxRow := 0
	for _, t := range cur.cols {
		maxRow += t.maxLen()
	}
	w.ubi(maxRow)
	w.ubi(len(cur.cols))
	if len(cur.cols) > 0 {
		w.u8(1)
	}
	for i, t := range cur.cols {
		w.u8(t.ora, 0, byte(max(t.precision, 0)))
		switch t.ora {
		case oraNumber, oraTimestamp, oraTimestampTZ:
			w.ubi(t.scale)
		default:
			w.u8(0)
		}
		w.ubi(t.maxLen())
		w.ubi(0) // max array elements
		w.ubi(0) // cont flags
		w.ubi(0) // type OID
		w.ubi(0) // version
		switch {
		case (t.ora == oraVarchar || t.ora == oraChar) && t.national:
			w.ubi(ncharsetU16)
			w.u8(2)
			w.ubi(t.size)
		case t.ora == oraVarchar || t.ora == oraChar:
			w.ubi(charsetUTF8)
			w.u8(1)
			w.ubi(t.size)
		default:
			w.ubi(0)
			w.u8(0)
			w.ubi(0)
		}
		if ttc >= 8 {
			w.ubi(0)
		}
		w.u8(1) // nullable
		w.u8(0) // v7 name length
		w.dlc([]byte(cur.names[i]))
		w.dlc(nil) // schema
		w.dlc(nil) // type name
		if ttc >= 3 {
			w.ubi(i + 1)
		}
		if ttc >= 6 {
			w.ubi(0)
		}
	}
	w.ubi(0) // current date
	if ttc >= 3 {
		w.ubi(0)
		w.ubi(0)
	}
	if ttc >= 4 {
		w.ubi(0)
		w.ubi(0)
	}
	if ttc >= 5 {
		w.ubi(0)
	}
}
