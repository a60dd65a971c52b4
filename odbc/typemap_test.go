package odbc

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
	_ "github.com/vapsql/vap/registry/all"
)

// The connection types whose columns the tests classify; nil is a
// connection of no known type.
var (
	famPostgres   = registry.Lookup("postgresql")
	famMySQL      = registry.Lookup("mysql")
	famSQLite     = registry.Lookup("sqlite")
	famMSSQL      = registry.Lookup("mssql")
	famOracle     = registry.Lookup("oracle")
	famDatabricks = registry.Lookup("databricks")
	famUnknown    *registry.Type
)

type family = *registry.Type

type typeInfo = coltype.Info

// TestClassifyDrivers checks the kinds and values of the type names that
// go-mssqldb (ColumnTypeDatabaseTypeName), go-ora (TNSType names) and
// databricks-sql-go v1.14.0 (TTypeId without "_TYPE") report, given the Go
// values those drivers return through database/sql.
func TestClassifyDrivers(t *testing.T) {
	ny := time.FixedZone("NY", -5*3600)
	guid := []byte{0x99, 0xbc, 0xee, 0xa0, 0x0b, 0x9c, 0xf8, 0x4e, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}
	cases := []struct {
		name string
		fam  family
		ti   typeInfo
		in   any
		kind Kind
		want any
	}{
		// SQL Server (github.com/microsoft/go-mssqldb)
		{"mssql BIGINT", famMSSQL, ti("BIGINT"), int64(9007199254740993), KindInt64, int64(9007199254740993)},
		{"mssql INT", famMSSQL, ti("INT"), int64(-5), KindInt64, int64(-5)},
		{"mssql TINYINT", famMSSQL, ti("TINYINT"), int64(255), KindInt64, int64(255)},
		{"mssql BIT", famMSSQL, ti("BIT"), true, KindBool, true},
		{"mssql REAL", famMSSQL, ti("REAL"), float64(float32(0.1)), KindFloat64, float64(float32(0.1))},
		{"mssql FLOAT", famMSSQL, ti("FLOAT"), 0.1, KindFloat64, 0.1},
		{"mssql DECIMAL", famMSSQL, tiPS("DECIMAL", 12, 2), []byte("12.50"), KindDecimal, "12.50"},
		{"mssql MONEY", famMSSQL, ti("MONEY"), []byte("1234.5600"), KindDecimal, "1234.5600"},
		{"mssql SMALLMONEY", famMSSQL, ti("SMALLMONEY"), []byte("-1.0000"), KindDecimal, "-1.0000"},
		{"mssql NVARCHAR", famMSSQL, ti("NVARCHAR"), "héllo", KindString, "héllo"},
		{"mssql NTEXT", famMSSQL, ti("NTEXT"), "x", KindString, "x"},
		{"mssql XML", famMSSQL, ti("XML"), "<a/>", KindString, "<a/>"},
		{"mssql VARBINARY", famMSSQL, ti("VARBINARY"), []byte{1, 2}, KindBytes, []byte{1, 2}},
		{"mssql IMAGE", famMSSQL, ti("IMAGE"), []byte{3}, KindBytes, []byte{3}},
		{"mssql UNIQUEIDENTIFIER", famMSSQL, ti("UNIQUEIDENTIFIER"), guid, KindString, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		{"mssql DATE", famMSSQL, ti("DATE"), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), KindTime, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"mssql DATETIME2", famMSSQL, ti("DATETIME2"), time.Date(2024, 2, 29, 13, 14, 15, 1234567*100, time.UTC), KindTime, time.Date(2024, 2, 29, 13, 14, 15, 123456700, time.UTC)},
		{"mssql SMALLDATETIME", famMSSQL, ti("SMALLDATETIME"), time.Date(2024, 2, 29, 13, 14, 0, 0, time.UTC), KindTime, time.Date(2024, 2, 29, 13, 14, 0, 0, time.UTC)},
		{"mssql DATETIMEOFFSET", famMSSQL, ti("DATETIMEOFFSET"), time.Date(2024, 2, 29, 8, 0, 0, 0, ny), KindTime, time.Date(2024, 2, 29, 13, 0, 0, 0, time.UTC)},
		{"mssql TIME", famMSSQL, ti("TIME"), time.Date(1, 1, 1, 12, 34, 56, 0, time.UTC), KindTime, time.Date(0, 1, 1, 12, 34, 56, 0, time.UTC)},
		{"mssql SQL_VARIANT", famMSSQL, ti("SQL_VARIANT"), int64(7), KindInt64, int64(7)},

		// Oracle (github.com/sijms/go-ora/v2): NUMBER arrives as a string.
		{"oracle NUMBER(10)", famOracle, tiPS("NUMBER", 10, 0), "42", KindInt64, int64(42)},
		{"oracle NUMBER(12,2)", famOracle, tiPS("NUMBER", 12, 2), "12.5", KindDecimal, "12.50"}, // padded to the scale (Spec.PadScale)
		{"oracle NUMBER(12,2) whole", famOracle, tiPS("NUMBER", 12, 2), "-3", KindDecimal, "-3.00"},
		{"oracle NUMBER(38,255)", famOracle, tiPS("NUMBER", 38, 255), "0.125", KindDecimal, "0.125"},
		{"oracle NUMBER", famOracle, tiPS("NUMBER", 0, 0), "3.14159265358979323846", KindDecimal, "3.14159265358979323846"},
		{"oracle NUMBER(38)", famOracle, tiPS("NUMBER", 38, 0), "12345678901234567890123", KindDecimal, "12345678901234567890123"},
		{"oracle FLOAT", famOracle, tiPS("NUMBER", 126, 255), "0.1", KindDecimal, "0.1"},
		{"oracle IBFloat", famOracle, ti("IBFloat"), float32(0.1), KindFloat64, 0.1},
		{"oracle IBDouble", famOracle, ti("IBDouble"), 0.1, KindFloat64, 0.1},
		{"oracle VARCHAR2 (NCHAR)", famOracle, ti("NCHAR"), "abc", KindString, "abc"},
		{"oracle CHAR", famOracle, ti("CHAR"), "ab  ", KindString, "ab  "},
		{"oracle LONG", famOracle, ti("LONG"), "long text", KindString, "long text"},
		{"oracle CLOB", famOracle, ti("OCIClobLocator"), "clob", KindString, "clob"},
		{"oracle BLOB", famOracle, ti("OCIBlobLocator"), []byte{9}, KindBytes, []byte{9}},
		{"oracle RAW", famOracle, ti("RAW"), []byte{8}, KindBytes, []byte{8}},
		{"oracle ROWID", famOracle, ti("ROWID"), "AAAR3sAAEAAAACXAAA", KindString, "AAAR3sAAEAAAACXAAA"},
		{"oracle DATE", famOracle, ti("DATE"), time.Date(2024, 2, 29, 13, 14, 15, 0, time.Local), KindTime, time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC)},
		{"oracle TIMESTAMP", famOracle, ti("TimeStampDTY"), time.Date(2024, 2, 29, 13, 14, 15, 5, ny), KindTime, time.Date(2024, 2, 29, 13, 14, 15, 5, time.UTC)},
		{"oracle TIMESTAMP WITH TIME ZONE", famOracle, ti("TimeStampTZ_DTY"), time.Date(2024, 2, 29, 8, 0, 0, 0, ny), KindTime, time.Date(2024, 2, 29, 13, 0, 0, 0, time.UTC)},
		{"oracle TIMESTAMP WITH LOCAL TIME ZONE", famOracle, ti("TimeStampLTZ_DTY"), time.Date(2024, 2, 29, 8, 0, 0, 0, ny), KindTime, time.Date(2024, 2, 29, 13, 0, 0, 0, time.UTC)},
		{"oracle INTERVAL DAY TO SECOND", famOracle, ti("IntervalDS_DTY"), "+01 02:03:04.000000", KindString, "+01 02:03:04.000000"},
		{"oracle BOOLEAN", famOracle, ti("TNSType(252)"), true, KindBool, true},

		// Databricks (github.com/databricks/databricks-sql-go v1.14.0).
		{"databricks BOOLEAN", famDatabricks, ti("BOOLEAN"), true, KindBool, true},
		{"databricks TINYINT", famDatabricks, ti("TINYINT"), int8(-8), KindInt64, int64(-8)},
		{"databricks SMALLINT", famDatabricks, ti("SMALLINT"), int16(300), KindInt64, int64(300)},
		{"databricks INT", famDatabricks, ti("INT"), int32(70000), KindInt64, int64(70000)},
		{"databricks BIGINT", famDatabricks, ti("BIGINT"), int64(1 << 40), KindInt64, int64(1 << 40)},
		{"databricks FLOAT", famDatabricks, ti("FLOAT"), float32(0.1), KindFloat64, 0.1},
		{"databricks DOUBLE", famDatabricks, ti("DOUBLE"), 0.1, KindFloat64, 0.1},
		{"databricks DECIMAL", famDatabricks, tiPS("DECIMAL", 12, 2), "12.50", KindDecimal, "12.50"},
		{"databricks STRING", famDatabricks, ti("STRING"), "s", KindString, "s"},
		{"databricks VARCHAR", famDatabricks, ti("VARCHAR"), "v", KindString, "v"},
		{"databricks CHAR", famDatabricks, ti("CHAR"), "c", KindString, "c"},
		{"databricks BINARY", famDatabricks, ti("BINARY"), []byte{1}, KindBytes, []byte{1}},
		{"databricks DATE", famDatabricks, ti("DATE"), time.Date(2024, 2, 29, 0, 0, 0, 0, ny), KindTime, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"databricks TIMESTAMP", famDatabricks, ti("TIMESTAMP"), time.Date(2024, 2, 29, 8, 0, 0, 0, ny), KindTime, time.Date(2024, 2, 29, 13, 0, 0, 0, time.UTC)},
		{"databricks ARRAY", famDatabricks, ti("ARRAY"), `[1,2]`, KindString, `[1,2]`},
		{"databricks MAP", famDatabricks, ti("MAP"), `{"a":1}`, KindString, `{"a":1}`},
		{"databricks STRUCT", famDatabricks, ti("STRUCT"), `{"x":1}`, KindString, `{"x":1}`},
		{"databricks INTERVAL_DAY_TIME", famDatabricks, ti("INTERVAL_DAY_TIME"), "1 02:00:00.000000000", KindString, "1 02:00:00.000000000"},
		{"databricks NULL", famDatabricks, ti("NULL"), nil, KindNull, nil},

		// MySQL names not in the cross-backend table.
		{"mysql UNSIGNED BIGINT", famMySQL, ti("UNSIGNED BIGINT"), uint64(1 << 63 >> 1), KindInt64, int64(1 << 62)},
		{"mysql BIT(1)", famMySQL, typeInfo{Name: "BIT", Length: 1, Precision: -1, Scale: -1}, []byte{1}, KindBool, true},
		{"mysql BIT(16)", famMySQL, ti("BIT"), []byte{1, 2}, KindInt64, int64(258)},
		{"mysql TINYINT(4)", famMySQL, ti("TINYINT"), []byte("-3"), KindInt64, int64(-3)},
		{"mysql YEAR", famMySQL, ti("YEAR"), []byte("2024"), KindInt64, int64(2024)},
		{"mysql ENUM", famMySQL, ti("ENUM"), []byte("red"), KindString, "red"},
		{"mysql TIME", famMySQL, ti("TIME"), []byte("23:59:59.000001"), KindTime, time.Date(0, 1, 1, 23, 59, 59, 1000, time.UTC)},
		{"mysql GEOMETRY", famMySQL, ti("GEOMETRY"), []byte{0, 0}, KindBytes, []byte{0, 0}},

		// SQLite: declared types, affinity, numbers in DECIMAL columns.
		{"sqlite DECIMAL(10,3) int", famSQLite, ti("DECIMAL(10,3)"), int64(5), KindDecimal, "5.000"},
		{"sqlite NUMERIC float", famSQLite, ti("NUMERIC"), 2.5, KindDecimal, "2.5"},
		{"sqlite FLOATING POINT has INTEGER affinity", famSQLite, ti("FLOATING POINT"), int64(2), KindInt64, int64(2)},
		{"sqlite DOUBLE affinity", famSQLite, ti("DOUBLE VALUE"), int64(2), KindFloat64, 2.0},
		{"sqlite NVARCHAR(10)", famSQLite, ti("NVARCHAR(10)"), "n", KindString, "n"},
		{"sqlite BIGINT UNSIGNED", famSQLite, ti("BIGINT UNSIGNED"), int64(1), KindInt64, int64(1)},
		{"sqlite expression", famSQLite, ti(""), int64(3), KindInt64, int64(3)},
		{"sqlite DATETIME text", famSQLite, ti("DATETIME"), "2024-02-29T13:14:15Z", KindTime, time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC)},

		// PostgreSQL through database/sql.
		{"postgres MONEY", famPostgres, ti("MONEY"), "$1,234.50", KindString, "$1,234.50"},
		{"postgres INTERVAL", famPostgres, ti("INTERVAL"), "1 day", KindString, "1 day"},
		{"unknown type", famUnknown, ti("HSTORE"), "a=>1", KindString, "a=>1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.fam.Classify(tc.ti)
			c := colData{kind: s.Kind}
			if err := appendValue(&c, &s, tc.in); err != nil {
				t.Fatalf("appendValue(%#v): %v", tc.in, err)
			}
			if c.kind != tc.kind {
				t.Errorf("kind %s, want %s", c.kind, tc.kind)
			}
			if got := c.value(0, false); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("value %#v (%T), want %#v (%T)", got, got, tc.want, tc.want)
			}
		})
	}
}

func ti(name string) typeInfo { return coltype.NewInfo(name) }

func tiPS(name string, p, s int64) typeInfo {
	return typeInfo{Name: name, Length: -1, Precision: p, Scale: s}
}

// TestConvertErrors checks that values that do not fit their column fail
// with a reason, except in flexible (SQLite, unknown) columns, which become
// KindAny.
func TestConvertErrors(t *testing.T) {
	cases := []struct {
		name string
		fam  family
		ti   typeInfo
		in   any
		err  bool
		kind Kind
	}{
		{"text in an int column", famMySQL, ti("INT"), []byte("abc"), true, KindInt64},
		{"uint64 overflow", famMySQL, ti("UNSIGNED BIGINT"), uint64(1 << 63), true, KindInt64},
		{"bad time", famMSSQL, ti("DATETIME2"), "yesterday", true, KindTime},
		{"MySQL TIME past 24h", famMySQL, ti("TIME"), []byte("838:59:59"), true, KindTime},
		{"bad bool", famPostgres, ti("BOOL"), "maybe", true, KindBool},
		{"sqlite text in INTEGER", famSQLite, ti("INTEGER"), "abc", false, KindAny},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.fam.Classify(tc.ti)
			c := colData{kind: s.Kind}
			err := appendValue(&c, &s, tc.in)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if c.kind != tc.kind {
				t.Errorf("kind %s, want %s", c.kind, tc.kind)
			}
		})
	}
}

// TestFlexiblePromotion: a column of unknown type takes the kind of its
// first value and becomes KindAny, keeping earlier values, when another type
// follows.
func TestFlexiblePromotion(t *testing.T) {
	s := famSQLite.Classify(ti(""))
	c := colData{kind: s.Kind}
	for _, v := range []any{nil, int64(1), "two", 3.5} {
		if err := appendValue(&c, &s, v); err != nil {
			t.Fatal(err)
		}
	}
	if c.kind != KindAny {
		t.Fatalf("kind %s, want any", c.kind)
	}
	want := []any{nil, int64(1), "two", 3.5}
	for i, w := range want {
		if got := c.value(i, false); !reflect.DeepEqual(got, w) {
			t.Errorf("value %d = %#v, want %#v", i, got, w)
		}
	}
}

func TestFamilyOf(t *testing.T) {
	if f := registry.Default.ForDriver(errors.New("x")); f != famUnknown {
		t.Errorf("ForDriver(errors) = %s", f.Name)
	}
	if f := registry.Default.ForDriver(nil); f != famUnknown {
		t.Errorf("ForDriver(nil) = %s", f.Name)
	}
}
