package stdlib

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/vapsql/vap/credential"
)

// The steps of opening a connection, as ConnectError.Step names them, so
// that a failure says where to look (`vap conn test` prints it).
const (
	StepConfig  = "configuration"        // the store, the type, the fields (OpResolve)
	StepRef     = "reference resolution" // a secret reference (OpRef)
	StepMint    = "token minting"        // the auth_type's credential (OpMint)
	StepNetwork = "network"              // reaching the server: DNS, refused, unreachable, timed out
	StepTLS     = "TLS"                  // the TLS handshake: refused, certificate, protocol
	StepAuth    = "authentication"       // the server refused the credentials
	StepServer  = "server"               // any other refusal by the server (no such database, too many clients)
)

// Step names the step that failed: StepConfig, StepRef or StepMint from
// Op, and for a physical connection (OpConnect) StepMint (a
// credential.MintError: the token the driver asked for at login),
// StepNetwork, StepTLS, StepAuth (the type's AuthError) or StepServer from
// the cause.
func (e *ConnectError) Step() string {
	switch e.Op {
	case OpRef:
		return StepRef
	case OpMint:
		return StepMint
	case OpConnect:
	default:
		return StepConfig
	}
	err := e.Err
	var me *credential.MintError
	if errors.As(err, &me) {
		return StepMint
	}
	if e.authError != nil && e.authError(err) {
		return StepAuth
	}
	if tlsError(err) {
		return StepTLS
	}
	if networkError(err) {
		return StepNetwork
	}
	return StepServer
}

// tlsError reports a failed TLS handshake: a certificate not trusted or
// not for the host, a TLS alert, a non-TLS answer, or a server that
// refuses TLS (pgx's "server refused TLS connection").
func tlsError(err error) bool {
	var (
		ua  x509.UnknownAuthorityError
		he  x509.HostnameError
		ci  x509.CertificateInvalidError
		cv  *tls.CertificateVerificationError
		rh  tls.RecordHeaderError
		al  tls.AlertError
		ech *tls.ECHRejectionError
	)
	if errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci) || errors.As(err, &cv) ||
		errors.As(err, &rh) || errors.As(err, &al) || errors.As(err, &ech) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "server refused TLS") || strings.Contains(msg, "tls: ") || strings.Contains(msg, "TLS Handshake failed") || strings.Contains(msg, "x509: ")
}

// networkError reports a server not reached or lost before it answered:
// DNS, a refused or reset connection, an unreachable host, a timeout.
func networkError(err error) bool {
	var (
		op  *net.OpError
		dns *net.DNSError
	)
	return errors.As(err, &op) || errors.As(err, &dns) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) ||
		errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded)
}
