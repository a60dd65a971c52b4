package odbc

import (
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
	}
	b.start(cols)
	return specs
}

// plainText reports whether a column's values are stored as the driver's
// bytes or string, without conversion.
func plainText(s *colSpec) bool {
	return (s.Kind == KindString || s.Kind == KindBytes) && !s.GUID && !s.UUID && !s.Flexible && !s.JSON
}
