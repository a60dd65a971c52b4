package orapeer

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// O5LOGON with the 12c verifier (type 18453): the server keeps a salt and
// the PBKDF2-HMAC-SHA512 "speedy key" derived from the password; session
// keys travel AES-256-CBC encrypted (zero IV) under SHA-512(speedy||salt).
const (
	verifier12c = 18453
	vgenCount   = 4096
	sderCount   = 3
)

// verifier is what the peer stores for a user, as Oracle stores a 12c
// verifier: never the password itself.
type verifier struct {
	salt      []byte // AUTH_VFR_DATA
	speedyKey []byte // PBKDF2(salt||"AUTH_PBKDF2_SPEEDY_KEY", password, vgenCount)
	key       []byte // SHA-512(speedyKey||salt)[:32], encrypts the session keys
}

func newVerifier(password string) (*verifier, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	v := &verifier{salt: salt}
	v.speedyKey = pbkdf2Block(append(append([]byte(nil), salt...), "AUTH_PBKDF2_SPEEDY_KEY"...), []byte(password), vgenCount)
	h := sha512.Sum512(append(append([]byte(nil), v.speedyKey...), salt...))
	v.key = h[:32]
	return v, nil
}

// pbkdf2Block is the first (and only) 64-byte block of PBKDF2-HMAC-SHA512.
func pbkdf2Block(salt, password []byte, iter int) []byte {
	mac := hmac.New(sha512.New, password)
	mac.Write(salt)
	mac.Write([]byte{0, 0, 0, 1})
	u := mac.Sum(nil)
	out := append([]byte(nil), u...)
	for i := 1; i < iter; i++ {
		mac.Reset()
		mac.Write(u)
		u = mac.Sum(nil)
		for j := range out {
			out[j] ^= u[j]
		}
	}
	return out
}

// logon is one O5LOGON exchange in progress.
type logon struct {
	v          *verifier
	serverKey  []byte // the server's session key (32 bytes)
	cskSalt    []byte // AUTH_PBKDF2_CSK_SALT
	encSessKey string // AUTH_SESSKEY sent in phase 1
}

func newLogon(v *verifier) (*logon, error) {
	l := &logon{v: v, serverKey: make([]byte, 32), cskSalt: make([]byte, 16)}
	if _, err := rand.Read(l.serverKey); err != nil {
		return nil, err
	}
	if _, err := rand.Read(l.cskSalt); err != nil {
		return nil, err
	}
	enc, err := cbcEncrypt(v.key, l.serverKey)
	if err != nil {
		return nil, err
	}
	l.encSessKey = strings.ToUpper(hex.EncodeToString(enc))
	return l, nil
}

// errLogon is any failed phase-2 check: the client only ever hears
// ORA-01017, whatever was wrong.
var errLogon = errors.New("orapeer: logon denied")

// check verifies phase 2: the client's session key (AUTH_SESSKEY), the
// password (AUTH_PASSWORD) and, when sent, the speedy key. It returns the
// password-encryption key for AUTH_SVR_RESPONSE.
func (l *logon) check(encClientKey, encPassword, encSpeedy string) ([]byte, error) {
	ck, err := hex.DecodeString(encClientKey)
	if err != nil || len(ck) != len(l.serverKey) {
		return nil, errLogon
	}
	clientKey, err := cbcDecrypt(l.v.key, ck)
	if err != nil {
		return nil, errLogon
	}
	material := strings.ToUpper(hex.EncodeToString(append(append([]byte(nil), clientKey...), l.serverKey...)))
	pwKey := pbkdf2Block(l.cskSalt, []byte(material), sderCount)[:32]
	ep, err := hex.DecodeString(encPassword)
	if err != nil || len(ep) < 32 || len(ep)%16 != 0 {
		return nil, errLogon
	}
	plain, err := cbcDecrypt(pwKey, ep)
	if err != nil {
		return nil, errLogon
	}
	pw, ok := unpad(plain)
	if !ok || len(pw) < 16 {
		return nil, errLogon
	}
	pw = pw[16:]
	// Check the password the way a server holding only the verifier can:
	// derive the speedy key from it and compare.
	got := pbkdf2Block(append(append([]byte(nil), l.v.salt...), "AUTH_PBKDF2_SPEEDY_KEY"...), pw, vgenCount)
	if subtle.ConstantTimeCompare(got, l.v.speedyKey) != 1 {
		return nil, errLogon
	}
	if encSpeedy != "" {
		es, err := hex.DecodeString(encSpeedy)
		if err != nil || len(es) < 80 || len(es)%16 != 0 {
			return nil, errLogon
		}
		sk, err := cbcDecrypt(pwKey, es)
		if err != nil || subtle.ConstantTimeCompare(sk[16:80], l.v.speedyKey) != 1 {
			return nil, errLogon
		}
	}
	return pwKey, nil
}

// serverResponse is AUTH_SVR_RESPONSE: 16 random bytes and
// "SERVER_TO_CLIENT", padded, encrypted with the password key.
func serverResponse(pwKey []byte) (string, error) {
	b := make([]byte, 16, 48)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	b = append(b, "SERVER_TO_CLIENT"...)
	b = pad(b)
	enc, err := cbcEncrypt(pwKey, b)
	if err != nil {
		return "", err
	}
	return strings.ToUpper(hex.EncodeToString(enc)), nil
}

func cbcEncrypt(key, plain []byte) ([]byte, error) {
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(plain)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("orapeer: %d bytes is not whole AES blocks", len(plain))
	}
	out := make([]byte, len(plain))
	cipher.NewCBCEncrypter(blk, make([]byte, aes.BlockSize)).CryptBlocks(out, plain)
	return out, nil
}

func cbcDecrypt(key, enc []byte) ([]byte, error) {
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(enc) == 0 || len(enc)%aes.BlockSize != 0 {
		return nil, errLogon
	}
	out := make([]byte, len(enc))
	cipher.NewCBCDecrypter(blk, make([]byte, aes.BlockSize)).CryptBlocks(out, enc)
	return out, nil
}

func pad(b []byte) []byte {
	n := aes.BlockSize - len(b)%aes.BlockSize
	for range n {
		b = append(b, byte(n))
	}
	return b
}

func unpad(b []byte) ([]byte, bool) {
	if len(b) == 0 {
		return nil, false
	}
	n := int(b[len(b)-1])
	if n == 0 || n > aes.BlockSize || n > len(b) {
		return nil, false
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, false
		}
	}
	return b[:len(b)-n], true
}
