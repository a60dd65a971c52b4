package conformance

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"sync"

	vapdriver "github.com/vapsql/vap/driver"
	"github.com/vapsql/vap/internal/redact"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/store"
)

// env is the state shared by the checks of one run.
type env struct {
	ctx    context.Context
	target Target
	st     *store.Store
	conn   *store.Connection // resolved, secrets decrypted
	typ    *registry.Type
	d      *registry.Dialect // nil when the suite has no SQL for the type
	c      *vapdriver.Connector
	db     *sql.DB
	pingOK bool

	mu      sync.Mutex
	errs    []string // every error message a check saw, for the redaction check
	canary  []string // planted secret values, also searched for
	nErrors int
}

// observe records err's message for the redaction check and returns err.
func (e *env) observe(err error) error {
	if err == nil {
		return nil
	}
	e.mu.Lock()
	e.errs = append(e.errs, err.Error())
	e.nErrors++
	e.mu.Unlock()
	return err
}

// plant records a planted secret value that no error may contain.
func (e *env) plant(v string) {
	e.mu.Lock()
	e.canary = append(e.canary, v)
	e.mu.Unlock()
}

// secrets returns the connection's secret values and the planted ones.
func (e *env) secrets() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	if e.conn != nil {
		out = append(out, e.conn.SecretValues()...)
	}
	return append(out, e.canary...)
}

// scrub removes every secret from s. Details are scrubbed before they are
// returned, whatever the redaction check finds.
func (e *env) scrub(s string) string { return redact.String(s, e.secrets()...) }

// ph returns the n-th placeholder in the type's native style.
func (e *env) ph(n int) string { return e.typ.Placeholder(n) }

// unique returns a fresh name with prefix, for tables, markers and canaries.
func unique(prefix string) string {
	var b [6]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}
