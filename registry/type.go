package registry

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vapsql/vap/coltype"
)

// Type describes one connection type: what fields it takes and how to reach
// its real driver. Build it with keyed fields.
type Type struct {
	// Name is the canonical type name, as in the seed ("postgresql").
	Name string
	// Aliases are other names accepted for this type ("postgres", "pg").
	Aliases []string
	// Driver is the import path of the real Go driver, for documentation.
	Driver string
	// DefaultPort is used when the connection has no port; 0 means the type
	// has no port (sqlite).
	DefaultPort int
	// Required fields must be present and non-empty.
	Required []string
	// Optional fields may be present. A field that is neither required,
	// optional, nor an option declared in Options is refused.
	Optional []string
	// Secrets are always stored encrypted, whatever the payload says.
	Secrets []string
	// Options are the driver options (fields "options.KEY") passed through.
	Options []string
	// Bind is the real driver's native placeholder style.
	Bind PlaceholderStyle
	// PingQuery is a cheap statement that proves a session works.
	PingQuery string
	// Check runs type-specific validation after the generic checks. Optional.
	Check func(p Params) error
	// Normalize returns the fields whose stored form differs from the form
	// given (a relative SQLite path made absolute), with their stored
	// values. The store applies it after Validate, before sealing. Optional.
	Normalize func(p Params) (map[string]string, error)
	// Connector builds the real driver's connector from a connection's fields.
	// It must not concatenate DSN strings from field values.
	Connector func(ctx context.Context, p Params) (driver.Connector, error)
	// CredentialAuths are the values of the field "auth_type" that the
	// credential package mints at connect time for this type ("aws-iam",
	// "azure-ad"; see credential.LookupAuth). A connection whose auth_type
	// is one of them gets the minted fields laid over its own before
	// Connector is called. Other auth_type values, if the type takes the
	// field at all, are the type's own business (Databricks). Optional.
	CredentialAuths []string
	// AuthError reports whether err, from Connector's connections, is the
	// server refusing the credentials (PostgreSQL SQLSTATE class 28, MySQL
	// 1045, SQL Server 18456), so that `vap conn test` can say the
	// authentication step failed rather than the network or TLS. Optional.
	AuthError func(err error) bool

	// What readers and the conformance suite need to know of the family,
	// declared here so that everything about a family lives in its package.

	// Packages are the Go package paths (prefixes) of the real drivers whose
	// connections this type reads, for a *sql.DB opened without vap
	// (odbc.OdbcToRowsDB); see Registry.ForDriver.
	Packages []string
	// Dialect is the family's SQL for the conformance suite; nil: the suite
	// runs only the checks that need no SQL and reports the rest as not
	// provable.
	Dialect *Dialect
	// Columns classifies a result column of this family; nil means
	// coltype.Classify. It falls back to coltype.Classify for the names it
	// does not read differently.
	Columns coltype.Classifier
	// DescribeColumns amends what sql.Rows.ColumnTypes tells of a result's
	// columns with what the real driver keeps to itself (MySQL's display
	// length, which tells TINYINT(1) from TINYINT). Optional.
	DescribeColumns func(rows *sql.Rows, cols []coltype.Info)
	// DescribeDriverColumns is DescribeColumns for a reader that reads the
	// real driver's rows directly (odbc's raw path, past database/sql):
	// rows is the driver.Rows the real driver's connection returned.
	// Optional.
	DescribeDriverColumns func(rows driver.Rows, cols []coltype.Info)
	// DriverRows lets a reader that reads the real driver's rows directly
	// read them through the family's own reader where the driver's values
	// lose information (Databricks' ARRAY, MAP and STRUCT, read from the
	// driver's Arrow batches). It returns rows itself when it has nothing
	// to do; the rows it returns close rows. On error rows is left open for
	// the caller to close. Optional.
	DriverRows func(ctx context.Context, rows driver.Rows) (driver.Rows, error)
	// DescribeQuery returns the types (name, length, precision, scale) of
	// the columns of query's result without running it, for a table
	// created from the result (package transfer): what the rows do not
	// say, such as NUMERIC(12,2). Optional.
	DescribeQuery func(ctx context.Context, conn *sql.Conn, query string) ([]coltype.Info, error)
	// Load is how rows are written into a table of the family (package
	// transfer, vap copy): the bulk path and the DDL of a created table;
	// nil: standard SQL. Optional.
	Load *Load
	// Cancel, when the real driver's own cancellation leaves a statement
	// running on the server (go-sql-driver/mysql closes its socket and the
	// server runs on), arranges for the statement running on conn to be
	// stopped on the server when ctx ends, from another connection of db.
	// The returned end detaches it and reports whether it fired; a
	// connection whose statement was stopped that way must not be reused.
	// nil end: nothing was arranged. Optional.
	Cancel func(ctx context.Context, db *sql.DB, conn *sql.Conn) (end func() (fired bool))
	// Canceled reports whether err is the real driver's own report of a
	// statement it interrupted because its context ended, where the driver
	// returns that instead of the context's error (go-ora's ORA-01013,
	// "user requested cancel of current operation"). vap's readers (odbc)
	// then return an error that matches both the context's error and err
	// (errors.Is); a database/sql caller still gets the driver's error
	// alone. Optional: nil means the driver returns the context's error.
	Canceled func(err error) bool
}

// Classify classifies a result column with the type's Columns, or
// coltype.Classify when it has none (or t is nil).
func (t *Type) Classify(i coltype.Info) coltype.Spec {
	if t == nil || t.Columns == nil {
		return coltype.Classify(i)
	}
	return t.Columns(i)
}

// Placeholder returns the n-th (1-based) bind placeholder in the type's native
// style: "$1" for PostgreSQL, "?" for MySQL, "@p1" for SQL Server, ":1" for
// Oracle.
func (t *Type) Placeholder(n int) string { return t.Bind.Placeholder(n) }

// Names returns the canonical name followed by the aliases.
func (t *Type) Names() []string { return append([]string{t.Name}, t.Aliases...) }

// IsSecret reports whether field is always encrypted for this type.
func (t *Type) IsSecret(field string) bool { return slices.Contains(t.Secrets, field) }

// Validate checks p against the type: required fields present, no unknown
// field, port in 1–65535, then Check. Errors name fields, never values.
func (t *Type) Validate(p Params) error {
	for _, f := range t.Required {
		if strings.TrimSpace(p.Get(f)) == "" {
			return &FieldError{Type: t.Name, Field: f, Reason: "is required"}
		}
	}
	for _, k := range p.Keys() {
		if !utf8.ValidString(p.Get(k)) {
			return &FieldError{Type: t.Name, Field: k, Reason: "is not valid UTF-8"}
		}
		if o, ok := strings.CutPrefix(k, OptionPrefix); ok {
			if !slices.Contains(t.Options, o) {
				return &FieldError{Type: t.Name, Field: k, Reason: "is not an option this type accepts (accepted: " + list(t.Options) + ")"}
			}
			continue
		}
		if !slices.Contains(t.Required, k) && !slices.Contains(t.Optional, k) {
			return &FieldError{Type: t.Name, Field: k, Reason: "is not a field of this type (fields: " + list(append(slices.Clone(t.Required), t.Optional...)) + ")"}
		}
	}
	if h, ok := p.Lookup("host"); ok && !validHost(h) {
		return &FieldError{Type: t.Name, Field: "host", Reason: "must be one host name or IP address (no scheme, port, path, user, list or spaces; an IPv6 address may be in brackets)"}
	}
	if v, ok := p.Lookup("port"); ok && v != "" && !validPort(v) {
		return &FieldError{Type: t.Name, Field: "port", Reason: "must be an integer from 1 to 65535, written in decimal digits without sign or leading zero"}
	}
	if at, ok := p.Lookup("auth_type"); ok && len(t.CredentialAuths) > 0 && !slices.Contains(t.CredentialAuths, at) {
		// A type whose credentials may be minted knows no other auth_type:
		// one it does not list would be ignored, and the stored password
		// used instead.
		return &FieldError{Type: t.Name, Field: "auth_type", Reason: "must be " + strings.Join(t.CredentialAuths, " or ") + " (or absent)"}
	}
	if t.Check != nil {
		return t.Check(p)
	}
	return nil
}

func list(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	s = slices.Clone(s)
	slices.Sort(s)
	return strings.Join(s, ", ")
}

// validHost reports whether h is one host: a name of letters, digits, '-',
// '_' and '.' that does not start with '-' or '.', or an IP address (an
// IPv6 one with an optional zone, optionally in brackets). "a,b" (a list
// some drivers expand) and "h:5432" (a port some drivers split off) are not.
func validHost(h string) bool {
	if h == "" {
		return true // a required host is checked as required
	}
	if len(h) > 2 && h[0] == '[' && h[len(h)-1] == ']' {
		a, err := netip.ParseAddr(h[1 : len(h)-1])
		return err == nil && a.Is6()
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	if len(h) > 253 || h[0] == '-' || h[0] == '.' {
		return false
	}
	for _, r := range h {
		if r != '-' && r != '_' && r != '.' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// validPort reports whether v is a port written plainly: 1 to 65535 in
// ASCII decimal digits, no sign, no leading zero, no spaces.
func validPort(v string) bool {
	if len(v) == 0 || len(v) > 5 || v[0] == '0' {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	n, _ := strconv.Atoi(v)
	return n >= 1 && n <= 65535
}
