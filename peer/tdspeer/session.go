package tdspeer

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// session is one logged-in connection.
type session struct {
	p          *Peer
	spid       int
	raw        net.Conn
	rw         io.ReadWriter // TLS or the socket
	packetSize int
	user       string
	database   string
	app        string // the client's application name

	conn *sql.Conn // the session's own SQLite connection (its transaction, temp tables)

	writeMu sync.Mutex // one message at a time on rw

	mu         sync.Mutex // guards the fields below
	responding bool       // a request is being answered
	attn       bool       // ATTENTION arrived for it
	cancel     context.CancelFunc
	running    string // the statement running now

	// isolation is the session's transaction isolation level, numbered as
	// sys.dm_exec_sessions numbers it (1 read uncommitted … 5 snapshot).
	isolation atomic.Int32
	killed    atomic.Bool // kill was called

	// Used by the worker goroutine only.
	tranDepth int
	tranID    uint64
	nocount   bool
	rowcount  int64
	fmtonly   bool
	// bulk is the INSERT BULK the next message, a bulk load, loads.
	bulk *stmt
}

var tranIDs atomic.Uint64

// isoReadCommitted is SQL Server's default isolation level.
const isoReadCommitted = 2

// setIsolation records a TM request's level; 0 keeps the current one.
func (s *session) setIsolation(level byte) {
	if level >= 1 && level <= 5 {
		s.isolation.Store(int32(level))
	}
}

func (s *session) runningText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running
}

func (s *session) setRunning(text string) {
	s.mu.Lock()
	s.running = text
	s.mu.Unlock()
}

// kill ends the session from outside (DropSessions, Close).
func (s *session) kill() {
	s.killed.Store(true)
	_ = s.raw.Close()
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
}

// ending reports whether the session is being ended from outside (KILL,
// DropSessions, Close), not cancelled by its client.
func (s *session) ending() bool { return s.killed.Load() || s.p.base.Err() != nil }

type request struct {
	msg message
	ctx context.Context
}

// run reads requests until the client goes away; a worker goroutine
// answers them, so an ATTENTION can arrive while it does.
func (s *session) run() {
	conn, err := s.p.db.Conn(s.p.base)
	if err != nil {
		return
	}
	s.conn = conn
	defer func() {
		s.resetSession() // the pooled SQLite connection keeps no transaction or temp table
		_ = conn.Close()
	}()
	reqs := make(chan request)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for r := range reqs {
			s.handle(r.ctx, r.msg)
		}
	}()
	defer func() {
		close(reqs)
		<-done
	}()
	for {
		m, err := readMessage(s.rw, s.packetSize)
		if err != nil {
			s.mu.Lock()
			if s.cancel != nil {
				s.cancel()
			}
			s.mu.Unlock()
			return
		}
		if m.typ == pktAttention {
			s.attention()
			continue
		}
		ctx, cancel := context.WithCancel(s.p.base)
		s.mu.Lock()
		s.responding, s.attn, s.cancel = true, false, cancel
		s.mu.Unlock()
		reqs <- request{msg: m, ctx: ctx}
	}
}

// attention handles an ATTENTION: a running request stops and its
// response ends with DONE(ATTN); when none is running, the peer answers
// DONE(ATTN) alone.
func (s *session) attention() {
	s.p.attentions.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.responding {
		s.attn = true
		if s.cancel != nil {
			s.cancel()
		}
		return
	}
	var t tokens
	t.done(tokDone, doneAttn, cmdNone, 0)
	s.writeMu.Lock()
	_ = writeMessage(s.rw, pktReply, t.b, s.packetSize)
	s.writeMu.Unlock()
}

// response streams one response message: full packets go out as tokens
// accumulate; the last DONE is held back so finish can end the message
// with DONE(ATTN) instead when the client cancelled.
type response struct {
	s       *session
	t       tokens
	seq     byte
	pending []byte // the last DONE token, not yet written
	err     error
}

func (s *session) newResponse() *response { return &response{s: s, seq: 1} }

// done queues a DONE-family token, writing the one before it with MORE.
func (r *response) done(tok byte, status, cmd uint16, rows int64) {
	if r.pending != nil {
		r.pending[1] |= doneMore
		r.t.bytes(r.pending)
	}
	var d tokens
	d.done(tok, status, cmd, rows)
	r.pending = d.b
	r.flushFull()
}

// flushFull writes every full packet but keeps the rest for later.
func (r *response) flushFull() {
	chunk := r.s.packetSize - headerSize
	for r.err == nil && len(r.t.b) > chunk {
		r.writePacket(r.t.b[:chunk], false)
		r.t.b = r.t.b[chunk:]
	}
}

func (r *response) writePacket(payload []byte, last bool) {
	pkt := make([]byte, headerSize+len(payload))
	pkt[0] = pktReply
	if last {
		pkt[1] = statusEOM
	}
	binary.BigEndian.PutUint16(pkt[2:], uint16(len(pkt)))
	binary.BigEndian.PutUint16(pkt[4:], uint16(r.s.spid))
	pkt[6] = r.seq
	r.seq++
	copy(pkt[headerSize:], payload)
	r.s.writeMu.Lock()
	_, r.err = r.s.rw.Write(pkt)
	r.s.writeMu.Unlock()
}

// finish ends the response: the held-back DONE, or DONE(ATTN) after it
// when an ATTENTION arrived, then the rest of the message.
func (r *response) finish() error {
	s := r.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.attn {
		if r.pending != nil {
			r.pending[1] |= doneMore
			r.t.bytes(r.pending)
		}
		r.t.done(tokDone, doneAttn, cmdNone, 0)
	} else if r.pending != nil {
		r.t.bytes(r.pending)
	} else {
		r.t.done(tokDone, 0, cmdNone, 0)
	}
	r.pending = nil
	r.flushFull()
	if r.err == nil {
		r.writePacket(r.t.b, true)
	}
	s.responding, s.attn, s.running = false, false, ""
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	return r.err
}

// allHeaders reads the ALL_HEADERS a request starts with and returns the
// transaction descriptor and the rest of the request.
func allHeaders(b []byte) (uint64, []byte, error) {
	if len(b) < 4 {
		return 0, nil, errors.New("tdspeer: request without ALL_HEADERS")
	}
	total := int(binary.LittleEndian.Uint32(b))
	if total < 4 || total > len(b) {
		return 0, nil, errors.New("tdspeer: ALL_HEADERS length out of range")
	}
	var descr uint64
	for h := b[4:total]; len(h) >= 6; {
		n := int(binary.LittleEndian.Uint32(h))
		if n < 6 || n > len(h) {
			return 0, nil, errors.New("tdspeer: header length out of range")
		}
		if binary.LittleEndian.Uint16(h[4:]) == 2 && n >= 6+8 {
			descr = binary.LittleEndian.Uint64(h[6:])
		}
		h = h[n:]
	}
	return descr, b[total:], nil
}

// handle answers one request.
func (s *session) handle(ctx context.Context, m message) {
	r := s.newResponse()
	defer func() {
		// A bug must not take the peer down with its other sessions: the
		// session ends, as a server ends one on a fatal error.
		if recover() != nil {
			s.mu.Lock()
			s.responding, s.attn, s.running = false, false, ""
			s.mu.Unlock()
			_ = s.raw.Close()
		}
	}()
	if m.reset {
		if old := s.tranID; s.tranDepth > 0 {
			// the reset ends the session's transaction; the driver forgets
			// its descriptor when told so
			var d [8]byte
			binary.LittleEndian.PutUint64(d[:], old)
			r.t.envChangeBytes(envRollback, nil, d[:])
		}
		s.resetSession()
		r.t.envChange(envResetAck, "", "")
	}
	pending := s.bulk // an INSERT BULK is for the message right after it
	s.bulk = nil
	switch m.typ {
	case pktSQLBatch, pktRPC, pktTM:
		descr, body, err := allHeaders(m.payload)
		if err != nil {
			s.fail(r, tokDone, &Error{Number: 4002, State: 1, Class: 16, Message: "The incoming tabular data stream (TDS) protocol stream is incorrect."})
			break
		}
		if descr != 0 && descr != s.tranID && !m.reset {
			s.fail(r, tokDone, &Error{Number: 3910, State: 2, Class: 16, Message: "Transaction context in use by another session."})
			break
		}
		switch m.typ {
		case pktSQLBatch:
			if len(body)%2 != 0 {
				s.fail(r, tokDone, errSyntax(""))
				break
			}
			s.batch(ctx, r, decodeUCS2(body), nil, false)
		case pktRPC:
			s.rpc(ctx, r, body)
		case pktTM:
			s.transactionManager(r, body)
		}
	case pktBulk:
		s.bulkLoad(ctx, r, pending, m.payload)
	default:
		s.fail(r, tokDone, &Error{Number: 4002, State: 1, Class: 16, Message: "The incoming tabular data stream (TDS) protocol stream is incorrect."})
	}
	if err := r.finish(); err != nil {
		_ = s.raw.Close()
	}
}

// fail writes e and the DONE token (tok) that ends the request with an error.
func (s *session) fail(r *response, tok byte, e *Error) {
	r.t.message(tokError, e)
	r.done(tok, doneError, cmdNone, 0)
}

// resetSession is RESETCONNECTION: the session as a new login has it.
func (s *session) resetSession() {
	ctx := context.Background()
	if s.tranDepth > 0 {
		_, _ = s.conn.ExecContext(ctx, "ROLLBACK")
	}
	s.tranDepth, s.tranID, s.nocount, s.rowcount, s.fmtonly, s.bulk = 0, 0, false, 0, false, nil
	s.isolation.Store(isoReadCommitted)
	rows, err := s.conn.QueryContext(ctx, "SELECT name FROM sqlite_temp_master WHERE type = 'table'")
	if err != nil {
		return
	}
	var names []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			names = append(names, n)
		}
	}
	_ = rows.Close()
	for _, n := range names {
		_, _ = s.conn.ExecContext(ctx, `DROP TABLE temp."`+escapeIdent(n)+`"`)
	}
}

func escapeIdent(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(out)
}
