package postgres

import "github.com/vapsql/vap/coltype"

// Columns classifies PostgreSQL result columns: as coltype.Classify, but
// MONEY is text, since PostgreSQL formats it by locale ("$1,234.50").
func Columns(i coltype.Info) coltype.Spec {
	if name, _ := coltype.Split(i.Name); name == "MONEY" {
		return coltype.Spec{Kind: coltype.String, Scale: -1}
	}
	return coltype.Classify(i)
}
