package tdspeer

import (
	"bufio"
	"crypto/subtle"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// PRELOGIN options and ENCRYPTION values (MS-TDS 2.2.6.5).
const (
	preVersion    = 0
	preEncryption = 1
	preInstOpt    = 2
	preThreadID   = 3
	preMARS       = 4
	preFedAuth    = 6
	preTerminator = 0xFF

	encryptOff    = 0
	encryptOn     = 1
	encryptNotSup = 2
	encryptReq    = 3
	encryptStrict = 4
)

// loginTimeout bounds the time from accepting a connection to LOGINACK.
const loginTimeout = 30 * time.Second

// bufConn reads a socket through the reader that peeked at it.
type bufConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// login7 is what the peer uses of a LOGIN7 message.
type login7 struct {
	tdsVersion uint32
	packetSize int
	user       string
	password   string
	database   string
	appName    string
	sspi       bool
	fedAuth    bool
	language   string
	// The FEDAUTH feature extension (MS-TDS 2.2.6.4, FeatureId 0x02):
	// its library (fedAuthSecurityToken: a token in LOGIN7), the echo of
	// the server's PRELOGIN FEDAUTHREQUIRED, and the token.
	fedAuthLibrary byte
	fedAuthEcho    bool
	fedAuthToken   string
}

// FEDAUTH feature extension: feature id and the security token library.
const (
	featFedAuth          = 0x02
	fedAuthSecurityToken = 0x01
)

// serveConn runs one client connection: PRELOGIN, TLS, LOGIN7, then the
// session.
func (p *Peer) serveConn(raw net.Conn) {
	defer raw.Close()
	defer func() { _ = recover() }() // a bug ends this connection only
	_ = raw.SetDeadline(time.Now().Add(loginTimeout))
	bc := &bufConn{Conn: raw, r: bufio.NewReaderSize(raw, 16<<10)}
	var rw net.Conn = bc

	first, err := bc.r.Peek(1)
	if err != nil {
		return
	}
	strict := first[0] == 0x16 // a TLS ClientHello: TDS 8.0, TLS before PRELOGIN
	if strict {
		cfg := p.tls.Clone()
		cfg.NextProtos = []string{"tds/8.0"}
		tc := tls.Server(bc, cfg)
		if err := tc.Handshake(); err != nil {
			return
		}
		rw = tc
	}
	m, err := readMessage(rw, preloginPacketSize)
	if err != nil || m.typ != pktPrelogin {
		return
	}
	opts, err := parsePrelogin(m.payload)
	if err != nil {
		return
	}
	clientEnc := byte(encryptNotSup)
	if v := opts[preEncryption]; len(v) == 1 {
		clientEnc = v[0]
	}
	answer := byte(encryptOn)
	switch {
	case strict:
		answer = encryptNotSup // the transport is encrypted already
	case clientEnc == encryptOff:
		answer = encryptOff // only LOGIN7 goes encrypted
	case clientEnc == encryptNotSup:
		answer = encryptNotSup
	}
	_, clientFedAuth := opts[preFedAuth]
	offerFedAuth := clientFedAuth && p.cfg.FedAuth != nil
	if err := writeMessage(rw, pktReply, preloginAnswer(answer, offerFedAuth), preloginPacketSize); err != nil {
		return
	}
	loginOnly := false
	if !strict && answer != encryptNotSup {
		sc := &switchConn{Conn: bc, hs: &handshakeConn{Conn: bc}}
		tc := tls.Server(sc, p.wrappedTLS)
		if err := tc.Handshake(); err != nil {
			return
		}
		if err := sc.unwrap(); err != nil {
			return
		}
		rw = tc
		loginOnly = answer == encryptOff
	}
	m, err = readMessage(rw, 32767)
	if err != nil || m.typ != pktLogin7 {
		return
	}
	if loginOnly {
		rw = bc // after LOGIN7 the connection is in the clear
	}
	l, err := parseLogin7(m.payload)
	if err != nil {
		return
	}
	packetSize := min(max(l.packetSize, 512), 32767)
	if l.packetSize == 0 {
		packetSize = preloginPacketSize
	}
	refuse := func(e *Error) {
		p.failedLogins.Add(1)
		var t tokens
		t.message(tokError, e)
		t.done(tokDone, doneError, cmdNone, 0)
		_ = writeMessage(rw, pktReply, t.b, packetSize)
	}
	switch {
	case l.sspi:
		refuse(&Error{Number: 18452, State: 1, Class: 14, Message: "Login failed. The login is from an untrusted domain and cannot be used with Integrated authentication."})
		return
	case l.fedAuth:
		login, ok := "", false
		// The echo bit repeats the FEDAUTHREQUIRED the peer answered in
		// PRELOGIN; a mismatch is refused, as SQL Server does.
		if p.cfg.FedAuth != nil && l.fedAuthLibrary == fedAuthSecurityToken && l.fedAuthEcho == offerFedAuth {
			login, ok = p.cfg.FedAuth(l.fedAuthToken)
		}
		if !ok {
			refuse(&Error{Number: 18456, State: 1, Class: 14, Message: "Login failed for user '<token-identified principal>'."})
			return
		}
		l.user = login
	case subtle.ConstantTimeCompare([]byte(l.user), []byte(p.cfg.User)) != 1 ||
		subtle.ConstantTimeCompare([]byte(l.password), []byte(p.cfg.Password)) != 1:
		refuse(errLoginFailed(l.user))
		return
	case l.database != "" && !strings.EqualFold(l.database, p.cfg.Database):
		refuse(&Error{Number: 4060, State: 1, Class: 11, Message: fmt.Sprintf("Cannot open database \"%s\" requested by the login. The login failed.", l.database)})
		return
	}
	s := &session{p: p, raw: raw, rw: rw, packetSize: packetSize, user: l.user, database: p.cfg.Database, app: l.appName}
	s.isolation.Store(isoReadCommitted)
	if !p.register(s) {
		refuse(&Error{Number: 17809, State: 1, Class: 20, Message: "Could not connect because the maximum number of user connections has already been reached."})
		return
	}
	defer p.unregister(s)
	p.logins.Add(1)

	var t tokens
	t.envChange(envDatabase, p.cfg.Database, "master")
	t.message(tokInfo, &Error{Number: 5701, State: 2, Message: fmt.Sprintf("Changed database context to '%s'.", p.cfg.Database)})
	t.envChangeBytes(envCollation, collation, nil)
	t.envChange(envLanguage, "us_english", "")
	t.message(tokInfo, &Error{Number: 5703, State: 1, Message: "Changed language setting to us_english."})
	t.loginAck()
	if l.fedAuth {
		t.featureExtAckFedAuth()
	}
	t.envChange(envPacket, strconv.Itoa(packetSize), strconv.Itoa(packetSize))
	t.done(tokDone, 0, cmdNone, 0)
	if err := writeMessage(rw, pktReply, t.b, min(packetSize, preloginPacketSize)); err != nil {
		return
	}
	_ = raw.SetDeadline(time.Time{})
	s.run()
}

// parsePrelogin reads the options of a PRELOGIN message.
func parsePrelogin(b []byte) (map[byte][]byte, error) {
	opts := map[byte][]byte{}
	for i := 0; ; i += 5 {
		if i >= len(b) {
			return nil, errors.New("tdspeer: PRELOGIN without a terminator")
		}
		if b[i] == preTerminator {
			return opts, nil
		}
		if i+5 > len(b) {
			return nil, errors.New("tdspeer: short PRELOGIN option")
		}
		off, n := int(binary.BigEndian.Uint16(b[i+1:])), int(binary.BigEndian.Uint16(b[i+3:]))
		if off+n > len(b) {
			return nil, errors.New("tdspeer: PRELOGIN option out of range")
		}
		opts[b[i]] = b[off : off+n]
	}
}

// preloginAnswer is the peer's PRELOGIN response: SQL Server 2022's
// version, the encryption answer, no instance, MARS off, and
// FEDAUTHREQUIRED when fedAuth (the client asked, and the peer takes
// Entra ID tokens).
func preloginAnswer(enc byte, fedAuth bool) []byte {
	opts := []struct {
		tok byte
		val []byte
	}{
		{preVersion, []byte{16, 0, 0x10, 0x7B, 0, 0}},
		{preEncryption, []byte{enc}},
		{preInstOpt, []byte{0}},
		{preThreadID, nil},
		{preMARS, []byte{0}},
	}
	if fedAuth {
		opts = append(opts, struct {
			tok byte
			val []byte
		}{preFedAuth, []byte{1}})
	}
	off := 5*len(opts) + 1
	var head, body []byte
	for _, o := range opts {
		head = append(head, o.tok, byte(off>>8), byte(off), byte(len(o.val)>>8), byte(len(o.val)))
		body = append(body, o.val...)
		off += len(o.val)
	}
	return append(append(head, preTerminator), body...)
}

// parseLogin7 reads a LOGIN7 message (MS-TDS 2.2.6.4).
func parseLogin7(b []byte) (*login7, error) {
	if len(b) < 94 {
		return nil, errors.New("tdspeer: short LOGIN7")
	}
	le := binary.LittleEndian
	str := func(at int) (string, error) {
		off, n := int(le.Uint16(b[at:])), int(le.Uint16(b[at+2:]))*2
		if off+n > len(b) {
			return "", errors.New("tdspeer: LOGIN7 field out of range")
		}
		return decodeUCS2(b[off : off+n]), nil
	}
	l := &login7{tdsVersion: le.Uint32(b[4:]), packetSize: int(le.Uint32(b[8:]))}
	l.sspi = b[25]&0x80 != 0
	var err error
	if l.user, err = str(40); err != nil {
		return nil, err
	}
	// the password: each byte's nibbles swapped, then XOR 0xA5
	off, n := int(le.Uint16(b[44:])), int(le.Uint16(b[46:]))*2
	if off+n > len(b) {
		return nil, errors.New("tdspeer: LOGIN7 password out of range")
	}
	pw := make([]byte, n)
	for i, c := range b[off : off+n] {
		c ^= 0xA5
		pw[i] = c<<4 | c>>4
	}
	l.password = decodeUCS2(pw)
	if l.appName, err = str(48); err != nil {
		return nil, err
	}
	if l.language, err = str(64); err != nil {
		return nil, err
	}
	if l.database, err = str(68); err != nil {
		return nil, err
	}
	if b[27]&0x10 != 0 { // fExtension: look for FEDAUTH
		at := int(le.Uint16(b[56:]))
		if at+4 <= len(b) {
			ext := int(le.Uint32(b[at:]))
			for ext < len(b) && b[ext] != 0xFF {
				if ext+5 > len(b) {
					break
				}
				n := int(le.Uint32(b[ext+1:]))
				if n < 0 || n > len(b)-ext-5 {
					return nil, errors.New("tdspeer: LOGIN7 feature extension out of range")
				}
				if b[ext] == featFedAuth {
					l.fedAuth = true
					if err := l.parseFedAuth(b[ext+5 : ext+5+n]); err != nil {
						return nil, err
					}
				}
				ext += 5 + n
			}
		}
	}
	return l, nil
}

// parseFedAuth reads the FEDAUTH feature data: options (library in bits
// 1–7, fFedAuthEcho in bit 0), then for the security token library the
// token's length in bytes and the token in UTF-16LE, then an optional
// 32-byte nonce.
func (l *login7) parseFedAuth(d []byte) error {
	if len(d) < 1 {
		return errors.New("tdspeer: empty FEDAUTH feature")
	}
	l.fedAuthLibrary, l.fedAuthEcho = d[0]>>1, d[0]&1 == 1
	if l.fedAuthLibrary != fedAuthSecurityToken {
		return nil
	}
	if len(d) < 5 {
		return errors.New("tdspeer: short FEDAUTH security token")
	}
	n := int(binary.LittleEndian.Uint32(d[1:]))
	if n < 0 || n > len(d)-5 || n%2 != 0 {
		return errors.New("tdspeer: FEDAUTH token length out of range")
	}
	l.fedAuthToken = decodeUCS2(d[5 : 5+n])
	return nil
}

var _ io.Reader = (*bufConn)(nil)
