package oracle

import (
	"testing"

	"github.com/vapsql/vap/coltype"
)

// Oracle's DATE has a time of day: it is a timestamp, not a date.
func TestColumnsDate(t *testing.T) {
	if s := Columns(coltype.NewInfo("DATE")); s.Kind != coltype.Time || s.Time != coltype.Wall || s.Date {
		t.Errorf("DATE: %+v, want a wall-clock timestamp that is not a date", s)
	}
	if s := coltype.Classify(coltype.NewInfo("DATE")); !s.Date {
		t.Errorf("coltype DATE: %+v, want a date", s)
	}
}
