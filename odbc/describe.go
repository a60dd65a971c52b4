package odbc

import (
	"strconv"
	"strings"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
)

// describe classifies a result's columns with the connection's type and
// starts the builder on them. names and nullable come from the driver
// (nullable: nil when unknown).
func describe(typ *registry.Type, names []string, infos []coltype.Info, nullable []*bool, b *builder) []colSpec {
	cols := make([]Column, len(infos))
	specs := make([]colSpec, len(infos))
	for j := range infos {
		specs[j] = typ.Classify(infos[j])
		cols[j] = Column{Name: names[j], DatabaseType: infos[j].Name, Kind: specs[j].Kind, JSON: specs[j].JSON && specs[j].Kind == KindString, Nullable: nullable[j] == nil || *nullable[j]}
		details(&cols[j], &specs[j], infos[j])
	}
	b.start(cols)
	return specs
}

// plainText reports whether a column's values are stored as the driver's
// bytes or string, without conversion.
func plainText(s *colSpec) bool {
	return (s.Kind == KindString || s.Kind == KindBytes) && !s.GUID && !s.UUID && !s.Flexible && !s.JSON
}

// details sets what a column's type says beyond its kind: a decimal's
// precision and scale, a time column's TimeType.
func details(c *Column, s *colSpec, i coltype.Info) {
	switch s.Kind {
	case KindDecimal:
		c.Precision, c.Scale = 0, s.Scale
		if i.Precision > 0 && i.Precision < 1<<16 && s.Scale >= 0 && i.Precision >= int64(s.Scale) {
			c.Precision = int(i.Precision)
		} else if p, ok := declaredPrecision(i.Name); ok && p >= s.Scale {
			c.Precision = p
		}
	case KindTime:
		switch {
		case s.Time == coltype.Clock:
			c.Time = TimeOfDay
		case s.Time == coltype.Instant:
			c.Time = TimeTimestampTZ
		case s.Date:
			c.Time = TimeDate
		default:
			c.Time = TimeTimestamp
		}
	}
}

// declaredPrecision reads p from a type name "DECIMAL(p,s)" or "NUMBER(p)".
func declaredPrecision(typeName string) (int, bool) {
	_, args := coltype.Split(typeName)
	args = strings.Trim(args, "() ")
	p, _, _ := strings.Cut(args, ",")
	n, err := strconv.Atoi(strings.TrimSpace(p))
	if err != nil || n <= 0 || n >= 1<<16 {
		return 0, false
	}
	return n, true
}

// pgDetails sets a PostgreSQL column's details from its type OID and type
// modifier: NUMERIC(p,s) has the modifier ((p << 16) | s) + 4, -1 when
// unconstrained.
func pgDetails(c *Column, oid uint32, typmod int32) {
	switch c.Kind {
	case KindDecimal:
		c.Precision, c.Scale = 0, -1
		if oid == oidNumeric && typmod >= 4 {
			m := typmod - 4
			if sc := int(m & 0x7ff); sc&0x400 == 0 { // an 11-bit signed scale; negative: unknown
				c.Precision, c.Scale = int(m>>16&0xffff), sc
			}
		}
	case KindTime:
		switch oid {
		case oidDate:
			c.Time = TimeDate
		case oidTime:
			c.Time = TimeOfDay
		case oidTimestamptz:
			c.Time = TimeTimestampTZ
		default:
			c.Time = TimeTimestamp
		}
	}
}
