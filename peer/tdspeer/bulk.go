package tdspeer

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// Bulk load (MS-TDS 2.2.6.1): a client sends INSERT BULK table (column
// type, …) [WITH (…)] as a SQL batch, then a message of type 0x07 holding
// COLMETADATA, one ROW token a row and DONE. The peer inserts the rows
// into the table in the session's transaction, all or none, and answers
// DONE with the row count. go-mssqldb's bulk copy (mssql.CopyIn) first
// describes the table with SET FMTONLY ON and SELECT * FROM table.

// translateInsertBulk reads INSERT BULK name (col type, …) [WITH (…)]:
// the statement inserts one row of the columns, from @b1 ….
func translateInsertBulk(in []tok, e *env, st *stmt) (*stmt, *Error) {
	open := -1
	for i := 2; i < len(in); i++ {
		if in[i].punct("(") {
			open = i
			break
		}
	}
	if open <= 2 {
		return nil, errSyntax(tokText(in, 2))
	}
	end := matchParen(in, open)
	if end < 0 {
		return nil, errSyntax("")
	}
	if rest := in[end+1:]; len(rest) > 0 && (!rest[0].is("WITH") || len(rest) < 3 || !rest[1].punct("(") || matchParen(rest, 1) != len(rest)-1) {
		return nil, errSyntax(rest[0].text)
	}
	ie := *e
	ie.params = map[string]sqlType{}
	var names, values []string
	for j, def := range splitArgs(in[open+1 : end]) {
		if len(def) < 2 || (def[0].kind != tWord && def[0].kind != tIdent) {
			return nil, errSyntax(tokText(def, 0))
		}
		typ, ok := parseType(join(def[1:]))
		if !ok {
			return nil, &Error{Number: 2715, State: 6, Class: 16, Message: fmt.Sprintf("Column, parameter, or variable #%d: Cannot find data type %s.", j+1, join(def[1:]))}
		}
		st.bulkCols = append(st.bulkCols, column{name: def[0].name(), typ: typ})
		names = append(names, "["+strings.ReplaceAll(def[0].name(), "]", "]]")+"]")
		p := "@b" + strconv.Itoa(j+1)
		values = append(values, p)
		ie.params[p] = typ
	}
	ins, err := translate(mustLex("INSERT INTO "+join(in[2:open])+" ("+strings.Join(names, ", ")+") VALUES ("+strings.Join(values, ", ")+")"), &ie)
	if err != nil {
		return nil, err
	}
	st.kind, st.cmd, st.sql, st.params = sInsertBulk, cmdInsert, ins.sql, ins.params
	return st, nil
}

// insertBulk checks an INSERT BULK's table and columns and keeps it for
// the bulk load message that follows.
func (s *session) insertBulk(ctx context.Context, r *response, st *stmt, doneTok byte) *Error {
	if s.p.cfg.NoBulkLoad {
		return errUnsupported("INSERT BULK")
	}
	ps, err := s.conn.PrepareContext(ctx, st.sql)
	if err != nil {
		return sqlError(err)
	}
	_ = ps.Close()
	s.bulk = st
	r.done(doneTok, 0, cmdNone, 0)
	return nil
}

// bulkLoad inserts the rows of a bulk load message into the table of the
// INSERT BULK before it (b): all of them, or none when one fails.
func (s *session) bulkLoad(ctx context.Context, r *response, b *stmt, payload []byte) {
	if b == nil {
		s.fail(r, tokDone, &Error{Number: 4804, State: 1, Class: 21, Message: "While reading current row from host, a premature end-of-message was encountered--an incoming data stream was interrupted when the server expected to see more data. The host program may have terminated. Ensure that you are using a supported client application programming interface (API)."})
		return
	}
	cols, rows, e := decodeBulk(payload)
	if e == nil && len(cols) != len(b.bulkCols) {
		e = errBulkStream()
	}
	if e != nil {
		s.fail(r, tokDone, e)
		return
	}
	s.setRunning(b.text)
	defer s.setRunning("")
	n, e := s.insertRows(ctx, b, rows)
	if ctx.Err() != nil && !s.ending() {
		return // the client cancelled: finish answers DONE(ATTN)
	}
	if e != nil {
		s.fail(r, tokDone, e)
		return
	}
	s.rowcount = n
	r.done(tokDone, doneCount, cmdNone, n)
}

// insertRows inserts rows under a savepoint, which a failing row rolls
// back to: the rows of one bulk load go in together or not at all.
func (s *session) insertRows(ctx context.Context, b *stmt, rows [][]any) (int64, *Error) {
	bg := context.WithoutCancel(ctx)
	if _, err := s.conn.ExecContext(bg, "SAVEPOINT tdspeer_bulk"); err != nil {
		return 0, sqlError(err)
	}
	undo := func() {
		_, _ = s.conn.ExecContext(bg, "ROLLBACK TO tdspeer_bulk")
		_, _ = s.conn.ExecContext(bg, "RELEASE tdspeer_bulk")
	}
	ins, err := s.conn.PrepareContext(ctx, b.sql)
	if err != nil {
		undo()
		return 0, sqlError(err)
	}
	defer ins.Close()
	args := make([]any, len(b.params))
	var n int64
	for _, row := range rows {
		if err := ctx.Err(); err != nil {
			undo()
			return 0, errCancelled()
		}
		for i, name := range b.params {
			j, _ := strconv.Atoi(name[2:]) // @bN
			args[i] = sql.Named(name[1:], rpcParam{typ: b.bulkCols[j-1].typ, val: row[j-1]}.sqliteArg())
		}
		if _, err := ins.ExecContext(ctx, args...); err != nil {
			undo()
			return 0, sqlError(err)
		}
		n++
	}
	if _, err := s.conn.ExecContext(bg, "RELEASE tdspeer_bulk"); err != nil {
		undo()
		return 0, sqlError(err)
	}
	return n, nil
}

func errBulkStream() *Error {
	return &Error{Number: 4002, State: 1, Class: 16, Message: "The incoming tabular data stream (TDS) protocol stream is incorrect."}
}

// decodeBulk reads a bulk load message: COLMETADATA, ROW tokens, DONE.
// Each row holds the peer's values of its columns' types (see convert),
// nil for NULL.
func decodeBulk(b []byte) ([]typeInfo, [][]any, *Error) {
	rd := &reader{b: b}
	if rd.u8() != tokColMetadata {
		return nil, nil, errBulkStream()
	}
	n := int(rd.u16())
	if n == 0 || n == 0xFFFF {
		return nil, nil, errBulkStream()
	}
	cols := make([]typeInfo, n)
	for i := range cols {
		rd.u32() // UserType
		rd.u16() // Flags
		ti, e := readTypeInfo(rd)
		if rd.err != nil {
			return nil, nil, errBulkStream()
		}
		if e != nil {
			return nil, nil, e // a type the peer does not know
		}
		rd.bvarchar() // the column's name
		cols[i] = ti
	}
	var rows [][]any
	for {
		if rd.err != nil {
			return nil, nil, errBulkStream()
		}
		switch rd.u8() {
		case tokRow:
			row := make([]any, n)
			for i, ti := range cols {
				v, e := readValue(rd, ti)
				if e != nil {
					return nil, nil, errBulkStream()
				}
				row[i] = v
			}
			rows = append(rows, row)
		case tokDone:
			rd.take(2 + 2 + 8) // status, CurCmd, row count
			if rd.err != nil || len(rd.b) != 0 {
				return nil, nil, errBulkStream()
			}
			return cols, rows, nil
		default:
			return nil, nil, errBulkStream()
		}
	}
}
