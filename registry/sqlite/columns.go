package sqlite

import (
	"strings"

	"github.com/vapsql/vap/coltype"
)

// Columns classifies SQLite result columns. A column's declared type is
// only its affinity: every column is flexible (a value of another type
// turns it into coltype.Any), and a declared type with no entry in
// coltype.Classify gets SQLite's affinity rules.
func Columns(i coltype.Info) coltype.Spec {
	s := coltype.Classify(i)
	s.Flexible = true
	if name, _ := coltype.Split(i.Name); s.Kind == coltype.Null && name != "" {
		s.Kind = affinity(name)
	}
	return s
}

// affinity applies SQLite's column affinity rules to a declared type
// ("VARCHAR2", "NATIVE CHARACTER"…).
func affinity(name string) coltype.Kind {
	switch {
	case strings.Contains(name, "INT"):
		return coltype.Int64
	case strings.Contains(name, "CHAR"), strings.Contains(name, "CLOB"), strings.Contains(name, "TEXT"):
		return coltype.String
	case strings.Contains(name, "BLOB"):
		return coltype.Bytes
	case strings.Contains(name, "REAL"), strings.Contains(name, "FLOA"), strings.Contains(name, "DOUB"):
		return coltype.Float64
	}
	return coltype.Null // NUMERIC affinity: integers or reals, the values decide
}
