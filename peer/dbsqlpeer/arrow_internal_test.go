package dbsqlpeer

import (
	"bytes"
	"testing"

	"github.com/apache/arrow/go/v12/arrow/ipc"
)

// TestArrowSchemaConventions decodes the IPC schema message the peer puts
// in TGetResultSetMetadataResp.arrowSchema and checks a warehouse's
// conventions: TIMESTAMP as timestamp[us, tz=Etc/UTC] when asked, DECIMAL
// as utf8 unless native decimals are asked for, VOID (Arrow null) for an
// untyped NULL, and the Spark SQL type name in every field's metadata.
func TestArrowSchemaConventions(t *testing.T) {
	dec := sparkType{id: typeDecimalID, precision: 10, scale: 2}
	cols := []column{{"ts", typeTimestamp}, {"d", dec}, {"n", typeNull}, {"i", typeInt}, {"da", typeDate}}
	for _, tc := range []struct {
		types arrowTypes
		want  []string
	}{
		{arrowTypes{timestamp: true}, []string{"timestamp[us, tz=Etc/UTC]", "utf8", "null", "int32", "date32"}},
		{arrowTypes{timestamp: true, decimal: true}, []string{"timestamp[us, tz=Etc/UTC]", "decimal(10, 2)", "null", "int32", "date32"}},
		{arrowTypes{}, []string{"utf8", "utf8", "null", "int32", "date32"}},
	} {
		b, err := ipcSchema(arrowSchema(cols, tc.types))
		if err != nil {
			t.Fatal(err)
		}
		r, err := ipc.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("the schema message does not decode: %v", err)
		}
		s := r.Schema()
		r.Release()
		wantNames := []string{"TIMESTAMP", "DECIMAL(10,2)", "VOID", "INT", "DATE"}
		for i, f := range s.Fields() {
			if got := f.Type.String(); got != tc.want[i] {
				t.Errorf("%+v: field %s is %s, want %s", tc.types, f.Name, got, tc.want[i])
			}
			if got, _ := f.Metadata.GetValue(sqlNameKey); got != wantNames[i] {
				t.Errorf("field %s: %s = %q, want %q", f.Name, sqlNameKey, got, wantNames[i])
			}
		}
	}
}
