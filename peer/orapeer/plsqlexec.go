package orapeer

// Running anonymous PL/SQL blocks and DML RETURNING ... INTO: OUT binds.

import (
	"context"
	"time"
)

// setDirections decides which binds of a PL/SQL block are OUT: those
// assigned by SELECT ... INTO.
func (s *session) setDirections(cur *cursor) {
	if into := cur.prep.into; len(into) > 0 {
		// DML RETURNING ... INTO: the binds after the statement's own
		for i := range cur.binds {
			cur.binds[i].dir = 32
			if i >= len(cur.prep.params)-seqCount(cur.prep) {
				cur.binds[i].dir = 16
			}
		}
		return
	}
	out := map[string]bool{}
	for _, st := range cur.prep.plsql {
		for _, n := range st.into {
			out[n] = true
		}
	}
	for i := range cur.binds {
		cur.binds[i].dir = 32
		if i < len(cur.prep.params) && out[cur.prep.params[i]] {
			cur.binds[i].dir = 16
		}
	}
}

// returning runs DML ... RETURNING ... INTO and sends the returned values
// as OUT binds (a count, then the value, per bind).
func (s *session) returning(ctx context.Context, w *ttcWriter, cur *cursor, sets [][]any, commit bool) error {
	p := cur.prep
	nIn := len(p.params) - seqCount(p)
	if len(cur.binds) != nIn+len(p.into) {
		return errf(1008, "not all variables bound")
	}
	var vals []any
	if len(sets) > 0 {
		vals = sets[0][:nIn]
	}
	a, e := s.args(p, cur.binds[:nIn], vals)
	if e != nil {
		return e
	}
	rows, err := s.db.c.QueryContext(ctx, p.text, a...)
	if err != nil {
		return err
	}
	var got [][]any
	for rows.Next() {
		row := make([]any, len(p.into))
		ptrs := make([]any, len(row))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return err
		}
		got = append(got, row)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return err
	}
	if len(got) > 1 {
		return errf(1422, "exact fetch returns more than requested number of rows")
	}
	if commit {
		if err := s.commitOpen(); err != nil {
			return err
		}
	}
	w.u8(msgIOVector, 0)
	w.ubi(len(cur.binds) % 256)
	w.ubi(len(cur.binds) / 256)
	w.ubi(1)
	w.ubi(0)
	w.ubi(0)
	w.ubi(0)
	for _, b := range cur.binds {
		w.u8(b.dir)
	}
	w.u8(msgRowData)
	for i, b := range cur.binds[nIn:] {
		w.ubi(len(got))
		if len(got) == 0 {
			continue
		}
		if !noRoom(b) {
			enc, err := encodeOut(b, got[0][i])
			if err != nil {
				return err
			}
			w.clr(enc)
		}
		w.ubi(0)
	}
	cur.fetched = int64(len(got))
	s.summary(w, 0, int64(len(got)), cur.id, "")
	return nil
}

// plsql runs an anonymous block's steps.
func (s *session) plsql(ctx context.Context, w *ttcWriter, cur *cursor, vals []any, commit bool) error {
	byName := map[string]any{}
	for i, n := range cur.prep.params {
		if i < len(vals) {
			byName[n] = vals[i]
		}
	}
	bindsOf := func(p *prepared) []any {
		a := make([]any, len(p.params))
		for i, n := range p.params {
			a[i] = byName[n]
		}
		return a
	}
	for _, st := range cur.prep.plsql {
		switch {
		case st.sleep != nil:
			var secs any
			if err := s.db.c.QueryRowContext(ctx, st.sleep.text, bindsOf(st.sleep)...).Scan(&secs); err != nil {
				return err
			}
			f, ok, err := num(secs)
			if err != nil || !ok {
				return errf(6550, "line 1, column 7:\nPLS-00306: wrong number or types of arguments in call to 'SLEEP'")
			}
			t := time.NewTimer(time.Duration(f * float64(time.Second)))
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		case st.query != nil:
			rows, err := s.db.c.QueryContext(ctx, st.query.text, bindsOf(st.query)...)
			if err != nil {
				return err
			}
			cols, _ := rows.Columns()
			if !rows.Next() {
				err := rows.Err()
				rows.Close()
				if err != nil {
					return err
				}
				return errf(1403, "no data found")
			}
			row := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range row {
				ptrs[i] = &row[i]
			}
			err = rows.Scan(ptrs...)
			more := rows.Next()
			rows.Close()
			if err != nil {
				return err
			}
			if more {
				return errf(1422, "exact fetch returns more than requested number of rows")
			}
			if len(row) != len(st.into) {
				return errf(6550, "line 1, column 1:\nPL/SQL: ORA-00947: not enough values")
			}
			for i, n := range st.into {
				byName[n] = row[i]
			}
		case st.exec != nil:
			if st.exec.kind == kindDDL {
				if err := s.commitOpen(); err != nil {
					return err
				}
			} else if !commit && !s.db.inTx {
				if _, err := s.db.c.ExecContext(ctx, "BEGIN"); err != nil {
					return err
				}
				s.db.inTx = true
			}
			if st.exec.text != "" {
				if _, err := s.db.c.ExecContext(ctx, st.exec.text, bindsOf(st.exec)...); err != nil {
					return err
				}
			}
		}
	}
	if commit {
		if err := s.commitOpen(); err != nil {
			return err
		}
	}
	// IO vector: every bind's direction, then the OUT values
	w.u8(msgIOVector, 0)
	w.ubi(len(cur.binds) % 256)
	w.ubi(len(cur.binds) / 256)
	w.ubi(1)
	w.ubi(0)
	w.ubi(0)
	w.ubi(0)
	hasOut := false
	for _, b := range cur.binds {
		w.u8(b.dir)
		if b.dir&16 != 0 {
			hasOut = true
		}
	}
	if hasOut {
		w.u8(msgRowData)
		for i, b := range cur.binds {
			if b.dir&16 == 0 {
				continue
			}
			var v any
			if i < len(cur.prep.params) {
				v = byName[cur.prep.params[i]]
			}
			if !noRoom(b) {
				enc, err := encodeOut(b, v)
				if err != nil {
					return err
				}
				w.clr(enc)
			}
			w.ubi(0)
		}
	}
	s.summary(w, 0, 1, cur.id, "")
	return nil
}
