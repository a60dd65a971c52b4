package orapeer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
