package registry_test

import (
	"testing"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
)

func TestDDLTypes(t *testing.T) {
	d := &registry.DDLTypes{
		Int64: "I", Float64: "F", Bytes: "B", Bool: "L", Text: "T",
		Decimal: "D(%d,%d)", MaxPrecision: 65, MaxScale: 30, DecimalDefault: "D",
		Date: "DA", Clock: "CL", Wall: "WA",
	}
	dec := func(p, s int64) registry.LoadColumn {
		return registry.LoadColumn{Kind: coltype.Decimal, Type: coltype.Info{Precision: p, Scale: s}}
	}
	tm := func(m coltype.TimeMode, date bool) registry.LoadColumn {
		return registry.LoadColumn{Kind: coltype.Time, Time: m, Date: date}
	}
	for _, tc := range []struct {
		c    registry.LoadColumn
		want string
	}{
		{registry.LoadColumn{Kind: coltype.Int64}, "I"},
		{registry.LoadColumn{Kind: coltype.Float64}, "F"},
		{registry.LoadColumn{Kind: coltype.Bytes}, "B"},
		{registry.LoadColumn{Kind: coltype.Bool}, "L"},
		{registry.LoadColumn{Kind: coltype.String}, "T"},
		{registry.LoadColumn{Kind: coltype.Null}, "T"},
		{dec(12, 2), "D(12,2)"},
		{dec(65, 30), "D(65,30)"},
		{dec(66, 2), "D"},  // past MaxPrecision
		{dec(40, 31), "D"}, // past MaxScale
		{dec(5, 6), "D"},   // scale past precision
		{dec(0, -1), "D"},  // unknown
		{tm(coltype.Wall, true), "DA"},
		{tm(coltype.Clock, false), "CL"},
		{tm(coltype.Wall, false), "WA"},
		{tm(coltype.Instant, false), "WA"}, // no Instant: the wall clock type
	} {
		if got := d.ColumnType(tc.c); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
	d.Instant, d.Decimal = "IN", ""
	if got := d.ColumnType(tm(coltype.Instant, false)); got != "IN" {
		t.Errorf("instant: %q", got)
	}
	if got := d.ColumnType(dec(12, 2)); got != "D" {
		t.Errorf("no Decimal format: %q", got)
	}
	if got := registry.QuoteDouble(`a"b`); got != `"a""b"` {
		t.Errorf("QuoteDouble: %s", got)
	}
}
