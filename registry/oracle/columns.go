package oracle

import "github.com/vapsql/vap/coltype"

// Columns classifies Oracle result columns: NUMBER with a precision up to
// 18 and scale 0 is an integer (NUMBER(19) holds values past int64), any
// other NUMBER an exact decimal, written with the column's scale when it
// has one (NUMBER(12,2): 12.5 reads "12.50", as on the other databases);
// LONG is text; DATE, which has a time of day, is a timestamp; the rest as
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
			// A NUMBER keeps no trailing zeros: go-ora gives 12.50 as
			// "12.5", which is padded back to the column's scale.
			s.Scale, s.PadScale = int(i.Scale), true
		}
		return s
	}
	return coltype.Classify(i)
}
