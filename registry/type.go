package registry

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"slices"
	"strconv"
	"strings"
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
	// Connector builds the real driver's connector from a connection's fields.
	// It must not concatenate DSN strings from field values.
	Connector func(ctx context.Context, p Params) (driver.Connector, error)

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
	// Cancel, when the real driver's own cancellation leaves a statement
	// running on the server (go-sql-driver/mysql closes its socket and the
	// server runs on), arranges for the statement running on conn to be
	// stopped on the server when ctx ends, from another connection of db.
	// The returned end detaches it and reports whether it fired; a
	// connection whose statement was stopped that way must not be reused.
	// nil end: nothing was arranged. Optional.
	Cancel func(ctx context.Context, db *sql.DB, conn *sql.Conn) (end func() (fired bool))
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
	if h, ok := p.Lookup("host"); ok && strings.ContainsAny(h, "/?#@ \t\r\n") {
		return &FieldError{Type: t.Name, Field: "host", Reason: "must be a host name or IP address (no scheme, path, user or spaces)"}
	}
	if v, ok := p.Lookup("port"); ok && strings.TrimSpace(v) != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > 65535 {
			return &FieldError{Type: t.Name, Field: "port", Reason: "must be an integer from 1 to 65535"}
		}
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
