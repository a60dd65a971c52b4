package registry

import (
	"fmt"
	"strings"

	"github.com/vapsql/vap/coltype"
)

// DDLTypes names a family's column type for each kind of value, for
// Load.ColumnType: its method ColumnType is the one mapping every family
// shares, the names are the family's.
type DDLTypes struct {
	Int64, Float64, Bytes, Bool, Text string
	// Decimal is the format of an exact decimal with its precision and
	// scale ("NUMERIC(%d,%d)"), used when the source gives both within
	// MaxPrecision and MaxScale (0: up to the precision); else
	// DecimalDefault. Empty: every decimal is DecimalDefault.
	Decimal        string
	MaxPrecision   int
	MaxScale       int
	DecimalDefault string
	// The time kinds: a date, a time of day, a timestamp without and with
	// a time zone (Instant empty: Wall).
	Date, Clock, Wall, Instant string
}

// ColumnType is the DDL type of a created column that holds c's values.
func (d *DDLTypes) ColumnType(c LoadColumn) string {
	switch c.Kind {
	case coltype.Int64:
		return d.Int64
	case coltype.Float64:
		return d.Float64
	case coltype.Decimal:
		p, s := c.Type.Precision, c.Type.Scale
		if d.Decimal != "" && p > 0 && p <= int64(d.MaxPrecision) && s >= 0 && s <= p && (d.MaxScale == 0 || s <= int64(d.MaxScale)) {
			return fmt.Sprintf(d.Decimal, p, s)
		}
		return d.DecimalDefault
	case coltype.Bytes:
		return d.Bytes
	case coltype.Bool:
		return d.Bool
	case coltype.Time:
		switch {
		case c.Date:
			return d.Date
		case c.Time == coltype.Clock:
			return d.Clock
		case c.Time == coltype.Instant && d.Instant != "":
			return d.Instant
		}
		return d.Wall
	}
	return d.Text
}

// QuoteDouble quotes an identifier the standard way: "name", with "
// doubled (PostgreSQL, SQLite, standard SQL).
func QuoteDouble(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
