package oracle

import "github.com/vapsql/vap/coltype"

// Columns classifies Oracle result columns: NUMBER with a precision up to
// 18 and scale 0 is an integer, any other NUMBER an exact decimal; LONG is
// text; DATE, which has a time of day, is a timestamp; the rest as
// coltype.Classify.
func Columns(i coltype.Info) coltype.Spec {
	switch name, _ := coltype.Split(i.Name); name {
	case "DATE":
		return coltype.Spec{Kind: coltype.Time, Time: coltype.Wall, Scale: -1}
	case "LONG":
		return coltype.Spec{Kind: coltype.String, Scale: -1}
	case "NUMBER":
		if i.Precision > 0 && i.Precision <= 18 && i.Scale == 0 {
			return coltype.Spec{Kind: coltype.Int64, Scale: -1}
		}
		s := coltype.Spec{Kind: coltype.Decimal, Scale: -1}
		if i.Scale > 0 && i.Scale < 127 {
			s.Scale = int(i.Scale)
		}
		return s
	}
	return coltype.Classify(i)
}
