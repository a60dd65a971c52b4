package tdspeer

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// batch runs the statements of text. For an RPC (proc) the statements'
// DONE tokens are DONEINPROC and the response ends with RETURNSTATUS and
// DONEPROC.
func (s *session) batch(ctx context.Context, r *response, text string, params map[string]rpcParam, proc bool) {
	doneTok := byte(tokDone)
	if proc {
		doneTok = tokDoneInProc
	}
	end := func(status uint16) {
		if proc {
			r.t.returnStatus(0)
			r.done(tokDoneProc, status, cmdNone, 0)
		}
	}
	toks, ok := lex(text)
	if !ok {
		s.fail(r, doneTok, &Error{Number: 105, State: 1, Class: 15, Message: "Unclosed quotation mark after the character string '" + lastText(toks) + "'."})
		end(doneError)
		return
	}
	stmts := splitStatements(toks)
	// SQL Server compiles the whole batch first: a syntax error anywhere
	// means no statement runs.
	for _, st := range stmts {
		if _, e := translate(st, s.env(params)); e != nil && (e.Number == 102 || e.Number == 137) {
			s.fail(r, doneTok, e)
			end(doneError)
			return
		}
	}
	if len(stmts) == 0 {
		r.done(doneTok, 0, cmdNone, 0)
	}
	for _, toks := range stmts {
		if ctx.Err() != nil && !s.ending() {
			break
		}
		st, e := translate(toks, s.env(params))
		if e == nil {
			s.setRunning(st.text)
			e = s.statement(ctx, r, st, params, doneTok)
			s.setRunning("")
		}
		if ctx.Err() != nil && s.ending() {
			// the peer is closing: the statement did not complete
			e = &Error{Number: 6005, State: 2, Class: 14, Message: "SHUTDOWN is in progress."}
		} else if ctx.Err() != nil {
			break // the client cancelled: finish answers DONE(ATTN)
		}
		if e != nil {
			s.fail(r, doneTok, e)
			end(doneError)
			return
		}
	}
	end(0)
}

func lastText(toks []tok) string {
	if len(toks) == 0 {
		return ""
	}
	t := toks[len(toks)-1].text
	if len(t) > 0 && t[0] == 'N' {
		t = t[1:]
	}
	return strings.TrimPrefix(t, "'")
}

func (s *session) env(params map[string]rpcParam) *env {
	e := &env{spid: s.spid, user: s.user, database: s.database, tranDepth: s.tranDepth, rowcount: s.rowcount,
		params: map[string]sqlType{}, sessions: s.p.sessionsTable}
	for n, p := range params {
		e.params[n] = p.typ
	}
	return e
}

// countStatus is DONE_COUNT unless SET NOCOUNT ON.
func (s *session) countStatus() uint16 {
	if s.nocount {
		return 0
	}
	return doneCount
}

// statement runs one statement and writes its tokens.
func (s *session) statement(ctx context.Context, r *response, st *stmt, params map[string]rpcParam, doneTok byte) *Error {
	args := make([]any, 0, len(st.params))
	for _, n := range st.params {
		args = append(args, sql.Named(n[1:], params[n].sqliteArg()))
	}
	switch st.kind {
	case sNoop:
		if st.nocount != nil {
			s.nocount = *st.nocount
		}
		if st.isolation != 0 {
			s.setIsolation(st.isolation)
		}
		if st.fmtonly != nil {
			s.fmtonly = *st.fmtonly
		}
		r.done(doneTok, 0, cmdNone, 0)
	case sPrint:
		r.t.message(tokInfo, &Error{Number: 0, State: 1, Class: 0, Message: st.msg})
		r.done(doneTok, 0, cmdNone, 0)
	case sWaitfor:
		t := time.NewTimer(st.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return errCancelled()
		}
		r.done(doneTok, 0, cmdNone, 0)
	case sBegin:
		if s.tranDepth == 0 {
			if e := s.begin(r); e != nil {
				return e
			}
		}
		s.tranDepth++
		r.done(doneTok, 0, cmdBegin, 0)
	case sCommit:
		if s.tranDepth == 0 {
			return &Error{Number: 3902, State: 1, Class: 16, Message: "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION."}
		}
		s.tranDepth--
		if s.tranDepth == 0 {
			if e := s.end(r, "COMMIT", envCommit); e != nil {
				return e
			}
		}
		r.done(doneTok, 0, cmdEnd, 0)
	case sRollback:
		if s.tranDepth == 0 {
			return &Error{Number: 3903, State: 1, Class: 16, Message: "The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION."}
		}
		s.tranDepth = 0
		if e := s.end(r, "ROLLBACK", envRollback); e != nil {
			return e
		}
		r.done(doneTok, 0, cmdEnd, 0)
	case sInsertBulk:
		return s.insertBulk(ctx, r, st, doneTok)
	case sExec, sDDL:
		if s.fmtonly {
			// SET FMTONLY ON: statements are described, not run
			r.done(doneTok, 0, st.cmd, 0)
			return nil
		}
		res, err := s.conn.ExecContext(ctx, st.sql, args...)
		if err != nil {
			return sqlError(err)
		}
		if st.kind == sDDL {
			r.done(doneTok, 0, st.cmd, 0)
			return nil
		}
		n, _ := res.RowsAffected()
		s.rowcount = n
		r.done(doneTok, s.countStatus(), st.cmd, n)
	case sQuery:
		return s.query(ctx, r, st, params, args, doneTok)
	}
	return nil
}

// begin starts the session's transaction and announces its descriptor.
func (s *session) begin(r *response) *Error {
	if _, err := s.conn.ExecContext(context.Background(), "BEGIN"); err != nil {
		return sqlError(err)
	}
	s.tranID = tranIDs.Add(1) | 1<<40
	var d [8]byte
	binary.LittleEndian.PutUint64(d[:], s.tranID)
	r.t.envChangeBytes(envBeginTran, d[:], nil)
	return nil
}

// end commits or rolls back the session's transaction.
func (s *session) end(r *response, verb string, env byte) *Error {
	var d [8]byte
	binary.LittleEndian.PutUint64(d[:], s.tranID)
	s.tranID, s.tranDepth = 0, 0
	if _, err := s.conn.ExecContext(context.Background(), verb); err != nil && !strings.Contains(err.Error(), "no transaction is active") {
		return sqlError(err)
	}
	r.t.envChangeBytes(env, nil, d[:])
	return nil
}

// lookahead is how many rows the peer reads before it sends COLMETADATA,
// to type the columns nothing else types.
const lookahead = 1000

// query runs a statement with a result set. The column types come from a
// top-level CAST, a parameter, the declared column type, else the first
// rows (up to lookahead, read before COLMETADATA); the rows then stream,
// converted to those types, a full packet at a time.
func (s *session) query(ctx context.Context, r *response, st *stmt, params map[string]rpcParam, args []any, doneTok byte) *Error {
	rows, err := s.conn.QueryContext(ctx, st.sql, args...)
	if err != nil {
		return sqlError(err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return sqlError(err)
	}
	cts, err := rows.ColumnTypes()
	if err != nil {
		return sqlError(err)
	}
	scan := func() ([]any, *Error) {
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, sqlError(err)
		}
		return vals, nil
	}
	var ahead [][]any
	more := !s.fmtonly // SET FMTONLY ON: COLMETADATA, no rows
	for more && len(ahead) < lookahead {
		if more = rows.Next(); !more {
			break
		}
		vals, e := scan()
		if e != nil {
			return e
		}
		ahead = append(ahead, vals)
	}
	if !more {
		if err := rows.Err(); err != nil {
			return sqlError(err)
		}
	}
	items := st.items
	useItems := len(items) == len(names)
	for _, it := range items {
		if it.star {
			useItems = false
		}
	}
	cols := make([]column, len(names))
	casts := make([]bool, len(names))
	numbers := make([]bool, len(names))
	for i := range names {
		cols[i].name = names[i]
		decl := cts[i].DatabaseTypeName()
		typed := false
		if useItems {
			it := items[i]
			cols[i].name = it.name
			switch {
			case it.cast != nil:
				cols[i].typ, casts[i], typed = *it.cast, true, true
				numbers[i] = it.number
			case it.param != "":
				if p, ok := params[it.param]; ok {
					cols[i].typ, typed = p.typ, true
				}
			}
		}
		if !typed && decl != "" {
			cols[i].typ, typed = parseType(decl)
		}
		if !typed {
			cols[i].typ = inferType(ahead, i, !more)
		}
	}
	r.t.colMetadata(cols)
	n := int64(0)
	send := func(row []any) *Error {
		for i, v := range row {
			if str, ok := v.(string); ok && numbers[i] {
				v = numericLiteral(str)
			}
			cv, e := convert(v, cols[i].typ, casts[i])
			if e != nil {
				return e
			}
			row[i] = cv
		}
		writeRow(&r.t, cols, row)
		r.flushFull()
		n++
		return nil
	}
	for _, row := range ahead {
		if e := send(row); e != nil {
			return e
		}
		if ctx.Err() != nil {
			return nil
		}
	}
	ahead = nil
	for more && rows.Next() {
		if ctx.Err() != nil {
			return nil
		}
		if n >= int64(s.p.cfg.MaxResultRows) {
			return &Error{Number: 50000, State: 1, Class: 16, Message: fmt.Sprintf("tdspeer: the result has more than %d rows (Config.MaxResultRows)", s.p.cfg.MaxResultRows)}
		}
		row, e := scan()
		if e != nil {
			return e
		}
		if e := send(row); e != nil {
			return e
		}
	}
	if err := rows.Err(); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return sqlError(err)
	}
	s.rowcount = n
	r.done(doneTok, s.countStatus(), cmdSelect, n)
	return nil
}

// numericLiteral is the value of a T-SQL numeric literal: an INT or
// BIGINT without a point or exponent, an exact decimal with a point, a
// FLOAT with an exponent.
func numericLiteral(s string) any {
	if strings.ContainsAny(s, "eE") {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
		return s
	}
	scale := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		scale = len(s) - i - 1
	}
	if u, ok := parseDecimal(s, scale); ok {
		if scale == 0 && u.IsInt64() {
			return u.Int64()
		}
		return decimalValue{unscaled: u, scale: scale}
	}
	return s
}

// writeRow writes ROW, or NBCROW when the row has NULLs.
func writeRow(t *tokens, cols []column, row []any) {
	nulls := false
	for _, v := range row {
		if v == nil {
			nulls = true
		}
	}
	if !nulls {
		t.byte(tokRow)
		for i, v := range row {
			t.value(cols[i].typ, v)
		}
		return
	}
	t.byte(tokNBCRow)
	bitmap := make([]byte, (len(cols)+7)/8)
	for i, v := range row {
		if v == nil {
			bitmap[i/8] |= 1 << (i % 8)
		}
	}
	t.bytes(bitmap)
	for i, v := range row {
		if v != nil {
			t.value(cols[i].typ, v)
		}
	}
}

// inferType is the type of a column nothing declares, from its first
// values (all of them when complete): INT or BIGINT, FLOAT, NVARCHAR or
// VARBINARY (MAX when a value is longer than the largest fixed length, or
// when later values are unseen), DATETIME2; INT when all are NULL, as SQL
// Server types a bare NULL. A later integer beyond INT fails with 8115,
// as SQL Server's arithmetic on an INT column does.
func inferType(data [][]any, i int, complete bool) sqlType {
	var ints, floats, strs, bins, times int
	big, longStr, longBin := false, false, false
	for _, row := range data {
		switch v := row[i].(type) {
		case int64:
			ints++
			if v < -1<<31 || v > 1<<31-1 {
				big = true
			}
		case float64:
			floats++
		case string:
			strs++
			if len(v) > 4000 && len(utf16.Encode([]rune(v))) > 4000 {
				longStr = true
			}
		case []byte:
			bins++
			if len(v) > 8000 {
				longBin = true
			}
		case time.Time:
			times++
		}
	}
	switch {
	case strs > 0 || times > 0 && (ints+floats+bins) > 0:
		if longStr || !complete {
			return sqlType{kind: kNVarChar, length: maxLen}
		}
		return sqlType{kind: kNVarChar, length: 4000}
	case times > 0:
		return sqlType{kind: kDateTime2, scale: 7}
	case bins > 0:
		if longBin || !complete {
			return sqlType{kind: kVarBinary, length: maxLen}
		}
		return sqlType{kind: kVarBinary, length: 8000}
	case floats > 0:
		return sqlType{kind: kFloat}
	case big:
		return sqlType{kind: kBigInt}
	}
	return sqlType{kind: kInt}
}

// transactionManager answers a TM request: BEGIN, COMMIT and ROLLBACK
// (with an optional new transaction), with the ENVCHANGEs the driver
// tracks its transaction descriptor by.
func (s *session) transactionManager(r *response, b []byte) {
	if len(b) < 2 {
		s.fail(r, tokDone, errSyntax(""))
		return
	}
	typ := binary.LittleEndian.Uint16(b)
	b = b[2:]
	skipName := func() bool {
		if len(b) < 1 || len(b) < 1+2*int(b[0]) {
			return false
		}
		b = b[1+2*int(b[0]):]
		return true
	}
	switch typ {
	case 5: // BEGIN_XACT: isolation level, name
		if len(b) < 1 {
			s.fail(r, tokDone, errSyntax(""))
			return
		}
		iso := b[0]
		b = b[1:]
		if !skipName() {
			s.fail(r, tokDone, errSyntax(""))
			return
		}
		if s.tranDepth > 0 {
			s.tranDepth++
			r.done(tokDone, 0, cmdBegin, 0)
			return
		}
		if e := s.begin(r); e != nil {
			s.fail(r, tokDone, e)
			return
		}
		s.tranDepth = 1
		s.setIsolation(iso)
		r.done(tokDone, 0, cmdBegin, 0)
	case 7, 8: // COMMIT_XACT, ROLLBACK_XACT: name, flags[, isolation, name]
		if !skipName() || len(b) < 1 {
			s.fail(r, tokDone, errSyntax(""))
			return
		}
		flags := b[0]
		b = b[1:]
		if s.tranDepth == 0 {
			if typ == 7 {
				s.fail(r, tokDone, &Error{Number: 3902, State: 1, Class: 16, Message: "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION."})
			} else {
				s.fail(r, tokDone, &Error{Number: 3903, State: 1, Class: 16, Message: "The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION."})
			}
			return
		}
		verb, env := "COMMIT", byte(envCommit)
		if typ == 8 {
			verb, env = "ROLLBACK", envRollback
		}
		if e := s.end(r, verb, env); e != nil {
			s.fail(r, tokDone, e)
			return
		}
		if flags&1 != 0 && len(b) >= 1 { // fBeginXact: a new transaction at once
			s.setIsolation(b[0])
			if e := s.begin(r); e != nil {
				s.fail(r, tokDone, e)
				return
			}
			s.tranDepth = 1
		}
		r.done(tokDone, 0, cmdEnd, 0)
	default:
		s.fail(r, tokDone, errUnsupported(fmt.Sprintf("transaction manager request %d", typ)))
	}
}

var errShort = errors.New("tdspeer: request ends early")
