package orapeer

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// dbConn is the session's own SQLite connection: its transaction is the
// Oracle session's transaction.
type dbConn struct {
	c    *sql.Conn
	inTx bool
}

func (s *session) openDB() error {
	c, err := s.p.db.Conn(context.Background())
	if err != nil {
		return err
	}
	s.db = &dbConn{c: c}
	return nil
}

func (s *session) closeDB() {
	if s.db == nil {
		return
	}
	for id := range s.cursors {
		s.closeCursor(id)
	}
	s.rollbackOpen()
	_ = s.db.c.Close()
	_, _ = s.p.db.Exec(`DELETE FROM "V$SESSION" WHERE SID = ?`, s.id)
}

func (s *session) rollbackOpen() {
	if s.db != nil && s.db.inTx {
		_, _ = s.db.c.ExecContext(context.Background(), "ROLLBACK")
		s.db.inTx = false
	}
}

// bindMeta is a bind's description from the client.
type bindMeta struct {
	ora    byte
	flag   byte
	csform byte
	maxLen int
	chars  int  // maximum characters (character types)
	dir    byte // 32 in, 16 out, 48 in/out: decided by the peer
}

// cursor is an Oracle cursor: a parsed statement and, for a query, its
// open result.
type cursor struct {
	id      int
	sql     string
	prep    *prepared
	binds   []bindMeta
	rows    *sql.Rows
	stop    context.CancelFunc
	cols    []colType
	names   []string
	pending [][]any
	fetched int64
	done    bool
}

func (c *cursor) closeRows() {
	if c.rows != nil {
		_ = c.rows.Close()
		c.rows = nil
	}
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
}

func (s *session) closeCursor(id int) {
	if c, ok := s.cursors[id]; ok {
		c.closeRows()
		delete(s.cursors, id)
	}
}

func (s *session) ttc() int {
	v := fieldVersion
	if len(s.clientCaps) > 7 && int(s.clientCaps[7]) < v {
		v = int(s.clientCaps[7])
	}
	return v
}

func (s *session) info() sessionInfo { return sessionInfo{user: s.user, sid: s.id} }

// execRequest is an OALL8 call as read from the client.
type execRequest struct {
	opts, cursorID, maxRows int
	sqlText                 string
	al8i4                   []int
	metas                   []bindMeta
}

// Limits on what one OALL8 may declare (Oracle's own: 65535 binds).
const (
	maxAl8i4   = 64
	maxBinds   = 65535
	maxDefines = 1000
	maxIters   = 65535
)

// readExecute reads the OALL8 header, SQL text, options and bind (and
// define) descriptions; the bind values follow.
func (s *session) readExecute() (*execRequest, error) {
	r := s.r
	ttc := s.ttc()
	var err error
	rd := func() int {
		if err != nil {
			return 0
		}
		var v int
		v, err = r.ubi()
		return v
	}
	b := func(n int) {
		if err == nil {
			_, err = r.bytes(n)
		}
	}
	q := &execRequest{}
	q.opts = rd()
	q.cursorID = rd()
	b(1)
	sqlLen := rd()
	b(1)
	al8i4n := rd()
	b(2)
	b(1)
	q.maxRows = rd()
	rd() // long length
	b(1)
	nbinds := rd()
	b(5)
	b(1)
	ndefines := rd()
	if ttc >= 4 {
		rd()
		b(2)
	}
	if ttc >= 5 {
		b(5)
	}
	if ttc >= 7 {
		b(1)
		rd()
		b(1)
	}
	if ttc >= 8 {
		b(5)
	}
	if ttc >= 9 {
		b(2)
	}
	if err != nil {
		return nil, err
	}
	if al8i4n < 0 || al8i4n > maxAl8i4 || nbinds < 0 || nbinds > maxBinds || ndefines < 0 || ndefines > maxDefines || sqlLen < 0 || sqlLen > maxPacket {
		return nil, fmt.Errorf("OALL8 out of range: %d options, %d binds, %d defines, %d bytes of SQL", al8i4n, nbinds, ndefines, sqlLen)
	}
	if sqlLen > 0 {
		t, err := r.chr(sqlLen, s.rawCHR)
		if err != nil {
			return nil, err
		}
		q.sqlText = string(t)
	}
	q.al8i4 = make([]int, al8i4n)
	for i := range q.al8i4 {
		if q.al8i4[i], err = r.ubi(); err != nil {
			return nil, err
		}
	}
	q.metas = make([]bindMeta, nbinds)
	for i := range q.metas {
		if q.metas[i], err = s.readMeta(ttc); err != nil {
			return nil, err
		}
	}
	for range ndefines {
		if _, err = s.readMeta(ttc); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// execute answers OALL8: parse, bind, execute and (for a query) fetch.
func (s *session) execute(ctx context.Context) error {
	q, err := s.readExecute()
	if err != nil {
		return err
	}
	cursorID, sqlText, metas, al8i4, maxRows, opts := q.cursorID, q.sqlText, q.metas, q.al8i4, q.maxRows, q.opts
	// the cursor: a new one for new text, else the client's
	var cur *cursor
	var perr *oraError
	if sqlText != "" {
		if cursorID != 0 {
			s.closeCursor(cursorID)
		}
		var prep *prepared
		prep, perr = prepare(sqlText, s.info())
		if perr == nil {
			s.nextCur++
			cur = &cursor{id: s.nextCur, sql: sqlText, prep: prep, binds: metas}
			s.cursors[cur.id] = cur
		}
	} else if c, ok := s.cursors[cursorID]; ok {
		cur = c
		if len(metas) > 0 {
			cur.binds = metas
		}
	} else {
		perr = errf(1001, "invalid cursor")
	}
	binds := metas
	if cur != nil {
		binds = cur.binds
	}
	// bind values: one set per iteration
	iters := 1
	if cur != nil && cur.prep.kind == kindDML && len(al8i4) > 1 && al8i4[1] > 1 {
		iters = min(al8i4[1], maxIters)
	}
	if cur != nil && (cur.prep.kind == kindPLSQL || len(cur.prep.into) > 0) {
		s.setDirections(cur)
	}
	var sets [][]any
	if len(binds) > 0 {
		for range iters {
			vals, err := s.readValues(binds, false)
			if err != nil {
				if errors.Is(err, errBadValue) {
					perr = errf(1722, "invalid number")
					break
				}
				return err
			}
			sets = append(sets, vals)
		}
	}
	if perr != nil {
		w := &ttcWriter{}
		s.summary(w, perr.code, 0, 0, perr.wire())
		return s.send(w)
	}
	rowsWanted := maxRows
	if len(al8i4) > 1 && al8i4[1] > rowsWanted {
		rowsWanted = al8i4[1]
	}
	commit := opts&0x100 != 0
	return s.run(ctx, cur, sets, rowsWanted, commit)
}

// reexecute answers OEXEC/OEXFEN: run a parsed cursor again with new values.
func (s *session) reexecute(ctx context.Context, fn byte) error {
	id, err := s.r.ubi()
	if err != nil {
		return err
	}
	count, err := s.r.ubi()
	if err != nil {
		return err
	}
	if _, err := s.r.ub(); err != nil {
		return err
	}
	execFlag, err := s.r.ubi()
	if err != nil {
		return err
	}
	cur, ok := s.cursors[id]
	if !ok {
		w := &ttcWriter{}
		e := errf(1001, "invalid cursor")
		s.summary(w, e.code, 0, 0, e.wire())
		return s.send(w)
	}
	iters := 1
	if cur.prep.kind == kindDML && count > 1 {
		iters = min(count, maxIters)
	}
	var sets [][]any
	if len(cur.binds) > 0 {
		for range iters {
			vals, err := s.readValues(cur.binds, true)
			if err != nil {
				return err
			}
			sets = append(sets, vals)
		}
	}
	rows := 0
	if fn == fnReexecFetch {
		rows = count
	}
	return s.run(ctx, cur, sets, rows, execFlag&1 != 0)
}

// readMeta reads one bind (or define) description.
func (s *session) readMeta(ttc int) (bindMeta, error) {
	var m bindMeta
	h, err := s.r.bytes(4)
	if err != nil {
		return m, err
	}
	m.ora, m.flag = h[0], h[1]
	if m.maxLen, err = s.r.ubi(); err != nil {
		return m, err
	}
	if _, err = s.r.ub(); err != nil { // max array elements
		return m, err
	}
	if _, err = s.r.ub(); err != nil { // cont flag
		return m, err
	}
	if _, err = s.r.dlc(); err != nil { // type OID
		return m, err
	}
	if _, err = s.r.ub(); err != nil { // version
		return m, err
	}
	if _, err = s.r.ub(); err != nil { // charset
		return m, err
	}
	if m.csform, err = s.r.u8(); err != nil {
		return m, err
	}
	if m.chars, err = s.r.ubi(); err != nil {
		return m, err
	}
	if ttc >= 8 {
		if _, err = s.r.ub(); err != nil {
			return m, err
		}
	}
	return m, nil
}

var errBadValue = errors.New("orapeer: bad bind value")

// readValues reads one row of bind values (message 7 and a value per
// bind). Duplicates of a named bind (flag 0x80) carry no value; on a
// re-execution out binds carry none either.
func (s *session) readValues(binds []bindMeta, reexec bool) ([]any, error) {
	m, err := s.r.u8()
	if err != nil {
		return nil, err
	}
	if m != msgRowData {
		return nil, fmt.Errorf("expected bind values, got message %d", m)
	}
	vals := make([]any, len(binds))
	var bad bool
	for i, b := range binds {
		if b.flag&0x80 != 0 || (reexec && b.dir == 16) {
			continue
		}
		raw, err := s.r.clr()
		if err != nil {
			return nil, err
		}
		v, err := decodeBind(b, raw)
		if err != nil {
			bad = true
		}
		vals[i] = v
	}
	if bad {
		return vals, errBadValue
	}
	return vals, nil
}

// decodeBind converts a bind's wire value to what SQLite stores.
func decodeBind(b bindMeta, raw []byte) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	switch b.ora {
	case oraVarchar, oraChar, oraLong:
		if b.csform == 2 {
			return decodeUTF16(raw), nil
		}
		return string(raw), nil
	case oraNumber:
		s, err := decodeNumber(raw)
		if err != nil {
			return nil, err
		}
		return numberValue(s), nil
	case oraBinDouble:
		f, err := decodeDouble(raw)
		return floatValue(f), err
	case oraBinFloat:
		f, err := decodeFloat(raw)
		return floatValue(f), err
	case oraDate, oraTimestamp, oraTimestamp2, oraTimestampTZ, oraTimestampTZ2:
		t, tz, err := decodeDateTime(raw)
		if err != nil {
			return nil, err
		}
		if b.ora == oraDate {
			return timeText(t, false), nil
		}
		return timeText(t, tz), nil
	case oraRaw, 24:
		return append([]byte(nil), raw...), nil
	case oraBoolean:
		if len(raw) > 0 && raw[len(raw)-1] != 0 {
			return int64(1), nil
		}
		return int64(0), nil
	}
	return nil, fmt.Errorf("orapeer: bind type %d is not emulated", b.ora)
}

// floatValue keeps NaN and infinities, which SQLite would store as NULL,
// as text.
func floatValue(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return f
}

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

// args orders bind values for SQLite: one per placeholder occurrence.
func (s *session) args(prep *prepared, binds []bindMeta, vals []any) ([]any, *oraError) {
	var seqAt []int
	var names []string
	for i, n := range prep.params {
		if strings.HasPrefix(n, seqParam) {
			seqAt = append(seqAt, i)
		} else {
			names = append(names, n)
		}
	}
	out, e := bindArgs(names, binds, vals)
	if e != nil || len(seqAt) == 0 {
		return out, e
	}
	// sequence values: one NEXTVAL per sequence per execution, as per row
	all := make([]any, 0, len(prep.params))
	next := map[string]int64{}
	k := 0
	for i, n := range prep.params {
		if len(seqAt) > 0 && seqAt[0] == i {
			seqAt = seqAt[1:]
			op, name, _ := strings.Cut(n[len(seqParam):], ":")
			v, e := s.sequence(name, op == "NEXTVAL", next)
			if e != nil {
				return nil, e
			}
			all = append(all, v)
			continue
		}
		all = append(all, out[k])
		k++
	}
	return all, nil
}

// bindArgs orders bind values for SQLite: one per placeholder occurrence.
func bindArgs(names []string, binds []bindMeta, vals []any) ([]any, *oraError) {
	byName := map[string]any{}
	if len(vals) == len(names) {
		for i, n := range names {
			if binds[i].flag&0x80 == 0 {
				if _, ok := byName[n]; !ok {
					byName[n] = vals[i]
				}
			}
		}
		out := make([]any, len(names))
		for i, n := range names {
			if binds[i].flag&0x80 != 0 {
				out[i] = byName[n]
			} else {
				out[i] = vals[i]
			}
		}
		return out, nil
	}
	// one value per distinct name
	var distinct []string
	seen := map[string]bool{}
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			distinct = append(distinct, n)
		}
	}
	if len(vals) != len(distinct) {
		return nil, errf(1008, "not all variables bound")
	}
	for i, n := range distinct {
		byName[n] = vals[i]
	}
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = byName[n]
	}
	return out, nil
}

// run executes cur with the bind sets and sends the answer, handling a
// cancel (TNS break) while it runs.
func (s *session) run(ctx context.Context, cur *cursor, sets [][]any, rowsWanted int, commit bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.mu.Lock()
	s.running, s.cancel = cur.sql, cancel
	s.mu.Unlock()
	interrupted := make(chan bool, 1)
	done := make(chan struct{})
	go s.watch(cancel, done, interrupted)
	w := &ttcWriter{}
	err := s.dispatch(ctx, w, cur, sets, rowsWanted, commit)
	close(done)
	intr := <-interrupted
	s.mu.Lock()
	s.running, s.cancel = "", nil
	s.mu.Unlock()
	if err == nil {
		return s.send(w)
	}
	e := toOra(err, s.user)
	if intr && e.code == 1013 {
		if err := s.breakReset(); err != nil {
			return err
		}
	}
	w = &ttcWriter{}
	s.summary(w, e.code, cur.fetched, cur.id, e.wire())
	return s.send(w)
}

// watch watches the client while a statement runs: an interrupt marker
// cancels it. Other packets are kept for the reader.
func (s *session) watch(cancel context.CancelFunc, done <-chan struct{}, interrupted chan<- bool) {
	got := false
	defer func() { interrupted <- got }()
	for {
		select {
		case <-done:
			return
		case pk, ok := <-s.in:
			if !ok {
				cancel()
				s.in = closedChan()
				return
			}
			if pk.typ == pktMarker {
				if len(pk.body) >= 3 && pk.body[2] == markerInterrupt {
					got = true
					cancel()
				}
				continue
			}
			s.stash(pk)
		}
	}
}

func closedChan() chan *packet {
	c := make(chan *packet)
	close(c)
	return c
}

// stash puts back a packet that arrived while a statement ran.
func (s *session) stash(pk *packet) {
	old := s.in
	n := make(chan *packet, 16)
	n <- pk
	go func() {
		defer close(n)
		for p := range old {
			n <- p
		}
	}()
	s.in = n
}

// breakReset tells the client its call was interrupted: BREAK and RESET
// markers, then waits for the client's RESET.
func (s *session) breakReset() error {
	if _, err := s.conn.Write(markerPacket(markerBreak)); err != nil {
		return err
	}
	if _, err := s.conn.Write(markerPacket(markerReset)); err != nil {
		return err
	}
	timeout := time.After(30 * time.Second)
	for {
		select {
		case pk, ok := <-s.in:
			if !ok {
				return errors.New("connection closed during break")
			}
			if pk.typ == pktMarker && len(pk.body) >= 3 && pk.body[2] == markerReset {
				return nil
			}
		case <-timeout:
			return errors.New("client did not reset after break")
		}
	}
}

// dispatch runs the statement by kind and writes the answer into w.
func (s *session) dispatch(ctx context.Context, w *ttcWriter, cur *cursor, sets [][]any, rowsWanted int, commit bool) error {
	p := cur.prep
	switch p.kind {
	case kindCommit:
		*w = *s.txEnd(true)
		return nil
	case kindRollback:
		*w = *s.txEnd(false)
		return nil
	case kindQuery:
		return s.query(ctx, w, cur, sets, rowsWanted)
	case kindSequence:
		if e := s.p.sequenceDDL(p.seq); e != nil {
			return e
		}
		s.summary(w, 0, 0, cur.id, "")
		return nil
	case kindKill:
		if p.killSID == s.id {
			return errf(27, "cannot kill current session")
		}
		if !s.p.killSession(p.killSID, p.killSerial) {
			return errf(30, "User session ID does not exist.")
		}
		s.summary(w, 0, 0, cur.id, "")
		return nil
	case kindDDL:
		if err := s.commitOpen(); err != nil {
			return err
		}
		if p.text != "" {
			if _, err := s.db.c.ExecContext(ctx, p.text); err != nil {
				return err
			}
		}
		s.summary(w, 0, 0, cur.id, "")
		return nil
	case kindDML:
		if !commit && !s.db.inTx {
			if _, err := s.db.c.ExecContext(ctx, "BEGIN"); err != nil {
				return err
			}
			s.db.inTx = true
		}
		if len(p.into) > 0 {
			return s.returning(ctx, w, cur, sets, commit)
		}
		var total int64
		if len(sets) == 0 {
			sets = [][]any{nil}
		}
		for _, vals := range sets {
			a, e := s.args(p, cur.binds, vals)
			if e != nil {
				return e
			}
			res, err := s.db.c.ExecContext(ctx, p.text, a...)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			total += n
		}
		if commit {
			if err := s.commitOpen(); err != nil {
				return err
			}
		}
		cur.fetched = total
		s.summary(w, 0, total, cur.id, "")
		return nil
	case kindPLSQL:
		var vals []any
		if len(sets) > 0 {
			vals = sets[0]
		}
		return s.plsql(ctx, w, cur, vals, commit)
	}
	return errf(900, "invalid SQL statement")
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

func (s *session) commitOpen() error {
	if s.db.inTx {
		s.db.inTx = false
		if _, err := s.db.c.ExecContext(context.Background(), "COMMIT"); err != nil {
			return err
		}
	}
	return nil
}

// txEnd answers OCOMMIT / OROLLBACK.
func (s *session) txEnd(commit bool) *ttcWriter {
	w := &ttcWriter{}
	if s.db != nil && s.db.inTx {
		stmt := "ROLLBACK"
		if commit {
			stmt = "COMMIT"
		}
		s.db.inTx = false
		if _, err := s.db.c.ExecContext(context.Background(), stmt); err != nil {
			e := toOra(err, s.user)
			s.summary(w, e.code, 0, 0, e.wire())
			return w
		}
	}
	s.summary(w, 0, 0, 0, "")
	return w
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

// noRoom reports an OUT bind with no buffer (a character bind of 0
// characters, a RAW of 0 bytes): no value is sent for it, only its
// indicator, as go-ora expects.
func noRoom(b bindMeta) bool {
	switch b.ora {
	case oraVarchar, oraChar:
		return b.chars == 0
	case oraRaw:
		return b.maxLen == 0
	}
	return false
}

// encodeOut encodes an OUT bind value in the type the client bound.
func encodeOut(b bindMeta, v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	t := colType{ora: b.ora, national: b.csform == 2, size: b.maxLen}
	switch b.ora {
	case oraVarchar, oraChar, oraLong:
		t.ora = oraVarchar
	case oraTimestamp2:
		t.ora = oraTimestamp
	case oraTimestampTZ2:
		t.ora = oraTimestampTZ
	}
	return encodeValue(t, v)
}

// encodeValue encodes an SQLite value as a column of type t.
func encodeValue(t colType, v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	switch t.ora {
	case oraVarchar, oraChar:
		s := strVal(v)
		if t.ora == oraChar && t.size > 0 && len([]rune(s)) < t.size {
			s += strings.Repeat(" ", t.size-len([]rune(s)))
		}
		if t.national {
			return encodeUTF16(s), nil
		}
		return []byte(s), nil
	case oraNumber:
		switch x := v.(type) {
		case int64:
			return encodeNumber(strconv.FormatInt(x, 10))
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, errf(1426, "numeric overflow")
			}
			return encodeNumber(strconv.FormatFloat(x, 'g', -1, 64))
		case string:
			s := strings.TrimSpace(x)
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				return nil, errf(1722, "invalid number")
			}
			return encodeNumber(s)
		}
		return nil, errf(932, "inconsistent datatypes: expected NUMBER got BINARY")
	case oraBinDouble, oraBinFloat:
		f, ok, err := num(v)
		if err != nil || !ok {
			return nil, errf(1722, "invalid number")
		}
		return encodeDouble(f), nil
	case oraDate, oraTimestamp, oraTimestampTZ:
		var tm time.Time
		switch x := v.(type) {
		case time.Time: // the SQLite driver parses DATE and TIMESTAMP columns
			tm = x
		case string:
			var ok bool
			if tm, ok = parseTimeText(x); !ok {
				return nil, errf(1861, "literal does not match format string")
			}
		default:
			return nil, errf(932, "inconsistent datatypes: expected DATE got NUMBER")
		}
		switch t.ora {
		case oraDate:
			return encodeDate(tm), nil
		case oraTimestamp:
			return encodeTimestamp(tm), nil
		}
		return encodeTimestampTZ(tm), nil
	case oraRaw:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			b, err := hex.DecodeString(x)
			if err != nil {
				return nil, errf(1465, "invalid hex number")
			}
			return b, nil
		}
		return nil, errf(932, "inconsistent datatypes: expected BINARY got NUMBER")
	}
	return nil, errf(932, "inconsistent datatypes")
}

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

// seqCount is how many of p's parameters are sequence values, not binds.
func seqCount(p *prepared) int {
	n := 0
	for _, name := range p.params {
		if strings.HasPrefix(name, seqParam) {
			n++
		}
	}
	return n
}
