package orapeer

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TTC message types.
const (
	msgProtocol   = 1
	msgDataTypes  = 2
	msgFunction   = 3
	msgError      = 4 // the call summary, with or without an error
	msgRowHeader  = 6
	msgRowData    = 7
	msgParameter  = 8
	msgStatus     = 9
	msgIOVector   = 11
	msgDescribe   = 16
	msgPiggyback  = 17
	msgAdvNegoHdr = 0xDE // first byte of the NA (0xDEADBEEF) packet
)

// TTC function codes.
const (
	fnLogoff      = 0x09
	fnReexec      = 0x04
	fnFetch       = 0x05
	fnCommit      = 0x0E
	fnRollback    = 0x0F
	fnVersion     = 0x3B
	fnReexecFetch = 0x4E
	fnExecute     = 0x5E // OALL8
	fnCloseCursor = 0x69
	fnAuthPhase2  = 0x73
	fnAuthPhase1  = 0x76
	fnPing        = 0x93
)

// Server capabilities sent in the TTIPRO answer. Index 7 is the TTC field
// version (7: 12.1), which fixes the layout of later messages; 15 and 16
// announce the end-of-call status and end-to-end sequence fields; 37 bit
// 0x20 chunked byte strings with ub4 chunk lengths, bit 2 time zone
// versions in TTIDTY.
var (
	compileCaps = []byte{
		6, 1, 0, 0, 106, 1, 1, fieldVersion,
		1, 1, 1, 1, 1, 1, 0, 41,
		145, 3, 7, 3, 0, 1, 0, 235,
		1, 0, 5, 1, 0, 0, 0, 24,
		0, 0, 7, 32, 0, 34, 0, 0, 5,
	}
	runtimeCaps = []byte{2, 1, 0, 0, 0, 0, 4}
)

const (
	fieldVersion = 7
	charsetUTF8  = 873  // AL32UTF8
	ncharsetU16  = 2000 // AL16UTF16
	versionNo    = 19<<24 | 3<<20
	versionText  = "Oracle Database 19c Enterprise Edition Release 19.0.0.0.0 - Production (vap orapeer)\nVersion 19.3.0.0.0"
)

// session is one client connection.
type session struct {
	p    *Peer
	conn net.Conn
	id   int
	ser  int
	sdu  int
	in   chan *packet
	rerr error // why in closed
	r    *ttcReader
	user string
	// rawCHR: the client writes CHR fields (user name, SQL text) as raw
	// bytes (python-oracledb) rather than length-prefixed (go-ora).
	rawCHR bool

	clientCaps  []byte
	clientRCaps []byte

	mu      sync.Mutex
	running string             // SQL of the statement being executed
	cancel  context.CancelFunc // cancels it

	db      *dbConn
	currval map[string]int64 // CURRVAL of each sequence this session took NEXTVAL from
	cursors map[int]*cursor
	nextCur int
}

var serviceRe = regexp.MustCompile(`(?i)\((SERVICE_NAME|SID)\s*=\s*([^)]*)\)`)

// serve runs the connection until the client leaves or the peer stops.
func (s *session) serve(ctx context.Context) {
	defer s.conn.Close()
	if err := s.handshake(); err != nil {
		s.p.logf("session %d: handshake: %v", s.id, err)
		return
	}
	s.in = make(chan *packet, 16)
	go s.readLoop()
	s.r = &ttcReader{next: s.nextData}
	if err := s.negotiate(); err != nil {
		s.p.logf("session %d: negotiation: %v", s.id, err)
		return
	}
	ok, err := s.login()
	if err != nil || !ok {
		if err != nil {
			s.p.logf("session %d: login: %v", s.id, err)
		}
		return
	}
	defer s.closeDB()
	for {
		if err := s.call(ctx); err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				s.p.logf("session %d: %v", s.id, err)
			}
			return
		}
	}
}

// handshake reads CONNECT (and its descriptor), checks the service and
// answers ACCEPT or REFUSE.
func (s *session) handshake() error {
	_ = s.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	defer s.conn.SetReadDeadline(time.Time{})
	pk, err := readPacket(s.conn, false)
	if err != nil {
		return err
	}
	if pk.typ != pktConnect {
		return fmt.Errorf("expected CONNECT, got packet type %d", pk.typ)
	}
	req, dataLen, dataOff, err := parseConnect(pk.body)
	if err != nil {
		return err
	}
	if dataLen > 0 && dataOff >= 0 && dataOff+dataLen <= len(pk.body) {
		req.data = string(pk.body[dataOff : dataOff+dataLen])
	} else if dataLen > 0 {
		d, err := readPacket(s.conn, false)
		if err != nil {
			return err
		}
		if d.typ != pktData {
			return fmt.Errorf("expected the connect descriptor, got packet type %d", d.typ)
		}
		req.data = string(d.body)
	}
	if req.version < minVersion {
		_, err := s.conn.Write(refusePacket(12564))
		return errors.Join(fmt.Errorf("client TNS version %d is older than %d", req.version, minVersion), err)
	}
	if !s.p.serviceOK(req.data) {
		_, err := s.conn.Write(refusePacket(12514))
		return errors.Join(errors.New("unknown service"), err)
	}
	s.sdu = int(min(max(req.sdu, 2048), 32767))
	_, err = s.conn.Write(acceptPacket(uint32(s.sdu)))
	return err
}

// readLoop reads packets into s.in until the connection ends.
func (s *session) readLoop() {
	defer close(s.in)
	for {
		pk, err := readPacket(s.conn, true)
		if err != nil {
			s.rerr = err
			return
		}
		s.in <- pk
	}
}

// nextData returns the next DATA payload, ignoring a stray interrupt
// marker (a cancel that arrived after its call ended).
func (s *session) nextData() ([]byte, error) {
	for {
		pk, ok := <-s.in
		if !ok {
			if s.rerr != nil {
				return nil, s.rerr
			}
			return nil, io.EOF
		}
		switch pk.typ {
		case pktData:
			if pk.dataFlags&dataFlagEOF != 0 {
				return nil, io.EOF
			}
			if len(pk.body) == 0 {
				continue
			}
			if s.p.trace {
				s.p.logf("session %d: data in (flags %#x):\n%s", s.id, pk.dataFlags, hex.Dump(pk.body))
			}
			return pk.body, nil
		case pktMarker:
			continue
		default:
			return nil, fmt.Errorf("unexpected TNS packet type %d", pk.typ)
		}
	}
}

// send writes w as DATA packets no larger than the SDU.
func (s *session) send(w *ttcWriter) error {
	b := w.b
	max := s.sdu - 10
	for first := true; first || len(b) > 0; first = false {
		n := min(len(b), max)
		pk := header(10+n, pktData, true)
		pk = append(pk, 0, 0)
		pk = append(pk, b[:n]...)
		if s.p.trace {
			s.p.logf("session %d: data out:\n%s", s.id, hex.Dump(b[:n]))
		}
		if _, err := s.conn.Write(pk); err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

// negotiate answers the NA services packet (python-oracledb thin sends it
// whatever ACCEPT said), TTIPRO and TTIDTY.
func (s *session) negotiate() error {
	if err := s.r.fill(1); err != nil {
		return err
	}
	if s.r.buf[s.r.pos] == msgAdvNegoHdr {
		if err := s.advancedNego(); err != nil {
			return err
		}
	}
	// TTIPRO
	if b, err := s.r.u8(); err != nil || b != msgProtocol {
		return errors.Join(fmt.Errorf("expected TTIPRO, got %d", b), err)
	}
	if _, err := s.r.bytes(2); err != nil { // version, array terminator
		return err
	}
	for { // client name, NUL-terminated
		c, err := s.r.u8()
		if err != nil {
			return err
		}
		if c == 0 {
			break
		}
	}
	w := &ttcWriter{}
	w.u8(msgProtocol, 6, 0)
	w.u8([]byte("x86_64/Linux 2.4.xx")...)
	w.u8(0)
	w.b = binary.LittleEndian.AppendUint16(w.b, charsetUTF8)
	w.u8(1)    // server flags
	w.u8(0, 0) // no charset elements
	fdo := make([]byte, 16)
	binary.BigEndian.PutUint16(fdo[9:], ncharsetU16)
	w.b = binary.BigEndian.AppendUint16(w.b, uint16(len(fdo)))
	w.u8(fdo...)
	w.u8(byte(len(compileCaps)))
	w.u8(compileCaps...)
	w.u8(byte(len(runtimeCaps)))
	w.u8(runtimeCaps...)
	if err := s.send(w); err != nil {
		return err
	}
	// TTIDTY
	if b, err := s.r.u8(); err != nil || b != msgDataTypes {
		return errors.Join(fmt.Errorf("expected TTIDTY, got %d", b), err)
	}
	if _, err := s.r.bytes(5); err != nil { // charset, ncharset, flags
		return err
	}
	n, err := s.r.u8()
	if err != nil {
		return err
	}
	cc, err := s.r.bytes(int(n))
	if err != nil {
		return err
	}
	s.clientCaps = append([]byte(nil), cc...)
	if n, err = s.r.u8(); err != nil {
		return err
	}
	rc, err := s.r.bytes(int(n))
	if err != nil {
		return err
	}
	s.clientRCaps = append([]byte(nil), rc...)
	sendTZ := len(rc) > 1 && rc[1]&1 == 1
	tzVersion := len(cc) > 37 && cc[37]&2 == 2
	if sendTZ {
		if _, err := s.r.bytes(11); err != nil {
			return err
		}
		if tzVersion {
			if _, err := s.r.bytes(4); err != nil {
				return err
			}
		}
	}
	wide := len(cc) > 27 && cc[27] != 0
	// go-ora writes the national character set here (little-endian);
	// python-oracledb goes straight to the type list, whose entries are
	// type numbers below 1000.
	if err := s.r.fill(2); err != nil {
		return err
	}
	if !wide || binary.BigEndian.Uint16(s.r.buf[s.r.pos:]) >= 1000 {
		if _, err := s.r.bytes(2); err != nil {
			return err
		}
	}
	readType := func() (int, error) {
		if wide {
			return s.r.be16()
		}
		b, err := s.r.u8()
		return int(b), err
	}
	for {
		t, err := readType()
		if err != nil {
			return err
		}
		if t == 0 {
			break
		}
		conv, err := readType()
		if err != nil {
			return err
		}
		if conv == 0 {
			continue
		}
		if _, err := readType(); err != nil {
			return err
		}
		if _, err := readType(); err != nil {
			return err
		}
	}
	w = &ttcWriter{}
	w.u8(msgDataTypes)
	if sendTZ {
		w.u8(128, 0, 0, 0, 60, 60, 60, 128, 0, 0, 0) // database time zone +00:00
		if tzVersion {
			w.b = binary.BigEndian.AppendUint32(w.b, 32)
		}
	}
	if wide {
		w.u8(0, 0)
	} else {
		w.u8(0)
	}
	return s.send(w)
}

// advancedNego answers the Advanced Networking Option packet with "no
// services": the peer offers no encryption, checksumming or
// authentication service.
func (s *session) advancedNego() error {
	hdr, err := s.r.bytes(13)
	if err != nil {
		return err
	}
	if binary.BigEndian.Uint32(hdr) != 0xDEADBEEF {
		return errors.New("bad NA packet")
	}
	total := int(binary.BigEndian.Uint16(hdr[4:]))
	if total < 13 {
		return errors.New("bad NA packet length")
	}
	if _, err := s.r.bytes(total - 13); err != nil {
		return err
	}
	w := &ttcWriter{}
	w.b = binary.BigEndian.AppendUint32(w.b, 0xDEADBEEF)
	w.b = binary.BigEndian.AppendUint16(w.b, 13)
	w.b = binary.BigEndian.AppendUint32(w.b, 0x0B200200) // version 11.2.0.2
	w.b = binary.BigEndian.AppendUint16(w.b, 0)          // no services
	w.u8(0)                                              // no error flags
	return s.send(w)
}

// login runs O5LOGON; false means the client was refused (and told why).
func (s *session) login() (bool, error) {
	var lg *logon
	for {
		fn, err := s.function()
		if err != nil {
			return false, err
		}
		switch fn {
		case fnAuthPhase1:
			user, _, err := s.readAuth()
			if err != nil {
				return false, err
			}
			s.user = user
			v := s.p.verifierFor(user)
			if lg, err = newLogon(v); err != nil {
				return false, err
			}
			w := &ttcWriter{}
			w.u8(msgParameter)
			w.ubi(6)
			w.keyVal("AUTH_SESSKEY", lg.encSessKey, 1)
			w.keyVal("AUTH_VFR_DATA", strings.ToUpper(fmt.Sprintf("%x", v.salt)), verifier12c)
			w.keyVal("AUTH_PBKDF2_CSK_SALT", strings.ToUpper(fmt.Sprintf("%x", lg.cskSalt)), 0)
			w.keyVal("AUTH_PBKDF2_VGEN_COUNT", strconv.Itoa(vgenCount), 0)
			w.keyVal("AUTH_PBKDF2_SDER_COUNT", strconv.Itoa(sderCount), 0)
			w.keyVal("AUTH_GLOBALLY_UNIQUE_DBID", "A1B2C3D4E5F60718293A4B5C6D7E8F90", 0)
			s.summary(w, 0, 0, 0, "")
			if err := s.send(w); err != nil {
				return false, err
			}
		case fnAuthPhase2:
			user, kv, err := s.readAuth()
			if err != nil {
				return false, err
			}
			var pwKey []byte
			if lg == nil || !strings.EqualFold(user, s.user) || !s.p.userOK(user) {
				err = errLogon
			} else {
				pwKey, err = lg.check(string(kv["AUTH_SESSKEY"]), string(kv["AUTH_PASSWORD"]), string(kv["AUTH_PBKDF2_SPEEDY_KEY"]))
			}
			if err != nil {
				w := &ttcWriter{}
				s.summary(w, 1017, 0, 0, "ORA-01017: invalid username/password; logon denied\n")
				return false, s.send(w)
			}
			resp, err := serverResponse(pwKey)
			if err != nil {
				return false, err
			}
			s.user = strings.ToUpper(user)
			if err := s.openDB(); err != nil {
				return false, err
			}
			if _, err := s.p.db.Exec(`INSERT INTO "V$SESSION" VALUES (?, ?, ?, 'INACTIVE', ?)`, s.id, s.ser, s.user, string(kv["AUTH_PROGRAM_NM"])); err != nil {
				return false, err
			}
			pairs := [][2]string{
				{"AUTH_VERSION_STRING", "- Production"},
				{"AUTH_VERSION_SQL", "19"},
				{"AUTH_XACTION_TRAITS", "3"},
				{"AUTH_VERSION_NO", strconv.Itoa(versionNo)},
				{"AUTH_VERSION_STATUS", "0"},
				{"AUTH_CAPABILITY_TABLE", ""},
				{"AUTH_LAST_LOGIN", ""},
				{"AUTH_DBNAME", strings.ToUpper(s.p.cfg.Service)},
				{"AUTH_DB_ID", "1"},
				{"AUTH_DB_MOUNT_ID", "1"},
				{"AUTH_SESSION_ID", strconv.Itoa(s.id)},
				{"AUTH_SERIAL_NUM", strconv.Itoa(s.ser)},
				{"AUTH_INSTANCE_NO", "1"},
				{"AUTH_SC_SERVER_HOST", "orapeer"},
				{"AUTH_SC_INSTANCE_NAME", "orapeer"},
				{"AUTH_SC_SERVICE_NAME", s.p.cfg.Service},
				{"AUTH_SC_DBUNIQUE_NAME", strings.ToUpper(s.p.cfg.Service)},
				{"AUTH_SC_DB_DOMAIN", ""},
				{"AUTH_INSTANCENAME", "orapeer"},
				{"AUTH_MAX_IDEN_LENGTH", "128"},
				{"AUTH_SVR_RESPONSE", resp},
			}
			w := &ttcWriter{}
			w.u8(msgParameter)
			w.ubi(len(pairs))
			for _, kv := range pairs {
				w.keyVal(kv[0], kv[1], 0)
			}
			s.summary(w, 0, 0, 0, "")
			return true, s.send(w)
		default:
			return false, fmt.Errorf("function 0x%x before logon", fn)
		}
	}
}

// function reads the header of the next function call, skipping
// piggybacked calls (cursor closes) on the way.
func (s *session) function() (byte, error) {
	for {
		m, err := s.r.u8()
		if err != nil {
			return 0, err
		}
		switch m {
		case msgFunction:
			fn, err := s.r.u8()
			if err != nil {
				return 0, err
			}
			if _, err := s.r.u8(); err != nil { // sequence number
				return 0, err
			}
			return fn, nil
		case msgPiggyback:
			if err := s.piggyback(); err != nil {
				return 0, err
			}
		default:
			return 0, fmt.Errorf("unexpected TTC message %d", m)
		}
	}
}

// piggyback reads a piggybacked call; only cursor closes are understood.
func (s *session) piggyback() error {
	fn, err := s.r.u8()
	if err != nil {
		return err
	}
	if _, err := s.r.u8(); err != nil {
		return err
	}
	if fn != fnCloseCursor {
		return fmt.Errorf("unsupported piggybacked function 0x%x", fn)
	}
	if _, err := s.r.u8(); err != nil { // pointer
		return err
	}
	n, err := s.r.ubi()
	if err != nil {
		return err
	}
	for range n {
		id, err := s.r.ubi()
		if err != nil {
			return err
		}
		s.closeCursor(id)
	}
	return nil
}

// readAuth reads an O5LOGON request body: the user and the key/values.
func (s *session) readAuth() (string, map[string][]byte, error) {
	hasUser, err := s.r.u8()
	if err != nil {
		return "", nil, err
	}
	userLen, err := s.r.ubi()
	if err != nil {
		return "", nil, err
	}
	if _, err := s.r.ub(); err != nil { // mode
		return "", nil, err
	}
	if _, err := s.r.u8(); err != nil {
		return "", nil, err
	}
	n, err := s.r.ubi()
	if err != nil {
		return "", nil, err
	}
	if _, err := s.r.bytes(2); err != nil {
		return "", nil, err
	}
	var user string
	if hasUser == 1 && userLen > 0 {
		// go-ora writes the user as a length-prefixed string,
		// python-oracledb as userLen raw bytes.
		if err := s.r.fill(1); err != nil {
			return "", nil, err
		}
		var u []byte
		s.rawCHR = int(s.r.buf[s.r.pos]) != userLen
		u, err = s.r.chr(userLen, s.rawCHR)
		if err != nil {
			return "", nil, err
		}
		user = string(u)
	}
	if n < 0 || n > 1000 {
		return "", nil, fmt.Errorf("logon with %d key/value pairs", n)
	}
	kv := make(map[string][]byte, n)
	for range n {
		k, v, _, err := s.r.keyVal()
		if err != nil {
			return "", nil, err
		}
		kv[k] = v
	}
	return user, kv, nil
}

// summary appends the end-of-call message (TTC "error" message 4): code 0
// for success, 1403 for the end of a fetch, else an ORA- error.
func (s *session) summary(w *ttcWriter, code int, rows int64, cursorID int, msg string) {
	w.u8(msgError)
	w.ubi(0)        // end of call status
	w.ubi(0)        // end-to-end sequence
	w.ub(rows)      // current row
	w.ubi(code)     // error code
	w.ubi(0)        // array element with error
	w.ubi(0)        // array element error number
	w.ubi(cursorID) // cursor id
	w.ubi(0)        // error position
	w.u8(0, 0)      // sql type, fatal
	w.ubi(0)        // flags
	w.ubi(0)        // user cursor options
	w.u8(0, 0)      // upi parameter, warning flag
	w.ubi(0)        // rba
	w.ubi(0)        // partition
	w.u8(0)         // table
	w.ubi(0)        // block
	w.ubi(0)        // slot
	w.ubi(0)        // os error
	w.u8(0, 0)      // statement number, call number
	w.ubi(0)        // padding
	w.ubi(0)        // successful iterations
	w.ubi(0)        // oerrdd
	w.ubi(0)        // batch error codes
	w.ubi(0)        // batch error offsets
	w.ubi(0)        // batch error messages
	w.ubi(code)     // error code (extended)
	w.ub(rows)      // row count (extended)
	if code != 0 {
		w.clr([]byte(msg))
	}
}

// call reads and answers one function call.
func (s *session) call(ctx context.Context) error {
	fn, err := s.function()
	if err != nil {
		return err
	}
	switch fn {
	case fnPing:
		return s.send(s.ok())
	case fnCommit:
		return s.send(s.txEnd(true))
	case fnRollback:
		return s.send(s.txEnd(false))
	case fnLogoff:
		s.rollbackOpen()
		return s.send(s.ok())
	case fnVersion:
		return s.version()
	case fnExecute:
		return s.execute(ctx)
	case fnFetch:
		return s.fetchCall()
	case fnReexec, fnReexecFetch:
		return s.reexecute(ctx, fn)
	default:
		return fmt.Errorf("unsupported TTC function 0x%x", fn)
	}
}

// ok is a success summary with nothing else.
func (s *session) ok() *ttcWriter {
	w := &ttcWriter{}
	s.summary(w, 0, 0, 0, "")
	return w
}

// version answers OVERSION: the banner and the version number.
func (s *session) version() error {
	if _, err := s.r.u8(); err != nil { // pointer
		return err
	}
	if _, err := s.r.ub(); err != nil { // buffer length
		return err
	}
	if _, err := s.r.bytes(2); err != nil {
		return err
	}
	if fieldVersion >= 11 {
		if _, err := s.r.ub(); err != nil {
			return err
		}
	}
	w := &ttcWriter{}
	w.u8(msgParameter)
	w.ubi(len(versionText))
	w.clr([]byte(versionText))
	w.ubi(versionNo)
	w.u8(msgStatus)
	w.ubi(0)
	w.ubi(0)
	return s.send(w)
}
