package databricks

import "github.com/vapsql/vap/coltype"

// Columns classifies Databricks result columns: TIMESTAMP is a point in
// time (Databricks' TIMESTAMP has the session's time zone; TIMESTAMP_NTZ
// is the wall clock); ARRAY, MAP and STRUCT are JSON text (coltype.Spec.JSON,
// see DriverRows); the rest as coltype.Classify.
func Columns(i coltype.Info) coltype.Spec {
	if isComplex(i.Name) {
		return coltype.Spec{Kind: coltype.String, JSON: true, Scale: -1}
	}
	if name, _ := coltype.Split(i.Name); name == "TIMESTAMP" {
		return coltype.Spec{Kind: coltype.Time, Time: coltype.Instant, Scale: -1}
	}
	return coltype.Classify(i)
}
