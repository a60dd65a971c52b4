package odbc

import (
	"reflect"
	"strconv"
	"strings"
)

// family is the backend behind a connection, which decides how ambiguous
// type names read.
type family uint8

const (
	famUnknown family = iota
	famPostgres
	famMySQL
	famSQLite
	famMSSQL
	famOracle
	famDatabricks
)

var familyNames = [...]string{"unknown", "postgres", "mysql", "sqlite", "mssql", "oracle", "databricks"}

func (f family) String() string { return familyNames[f] }

// familyOf names the backend of a real driver connection (or driver) by its
// Go package, so that odbc imports no driver it does not need.
func familyOf(v any) family {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return famUnknown
	}
	p := t.PkgPath()
	switch {
	case strings.HasPrefix(p, "github.com/jackc/pgx"), strings.HasPrefix(p, "github.com/lib/pq"):
		return famPostgres
	case strings.HasPrefix(p, "github.com/go-sql-driver/mysql"):
		return famMySQL
	case strings.HasPrefix(p, "modernc.org/sqlite"), strings.HasPrefix(p, "github.com/mattn/go-sqlite3"), strings.HasPrefix(p, "github.com/ncruces/go-sqlite3"):
		return famSQLite
	case strings.Contains(p, "go-mssqldb"):
		return famMSSQL
	case strings.HasPrefix(p, "github.com/sijms/go-ora"), strings.HasPrefix(p, "github.com/godror/godror"):
		return famOracle
	case strings.HasPrefix(p, "github.com/databricks/databricks-sql-go"):
		return famDatabricks
	}
	return famUnknown
}

// timeMode says how a time value becomes a UTC time.Time.
type timeMode uint8

const (
	tmWall    timeMode = iota // no time zone (TIMESTAMP, DATETIME, DATE): keep the wall clock, in UTC
	tmInstant                 // a point in time (TIMESTAMPTZ, DATETIMEOFFSET): convert to UTC
	tmClock                   // a time of day (TIME): January 1 of year 0, UTC
)

// colSpec is how one column's driver values become its kind.
type colSpec struct {
	kind     Kind
	time     timeMode
	scale    int  // decimal places for decimals given as numbers; -1 unknown
	guid     bool // 16 bytes in SQL Server's UNIQUEIDENTIFIER byte order
	uuid     bool // 16 bytes in RFC 4122 order
	bit      bool // MySQL BIT: big-endian bytes
	flexible bool // values of another type turn the column into KindAny (SQLite, unknown types)
}

// typeInfo is what a driver tells about a column's type.
type typeInfo struct {
	name            string // DatabaseTypeName
	length          int64  // -1 unknown
	precision       int64  // -1 unknown
	scale           int64  // -1 unknown
	mysqlBoolLength bool   // MySQL TINYINT(1)/BIT(1): length 1
}

var (
	intNames = set("INT", "INTEGER", "INT2", "INT4", "INT8", "SMALLINT", "BIGINT", "TINYINT", "MEDIUMINT",
		"YEAR", "OID", "XID", "CID", "SERIAL", "SERIAL4", "SERIAL8", "BIGSERIAL", "SMALLSERIAL", "BINTEGER", "UINT", "SB1", "LONGLONG")
	floatNames = set("REAL", "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "IBFLOAT", "IBDOUBLE",
		"BFLOAT", "BDOUBLE", "BINARY_FLOAT", "BINARY_DOUBLE")
	decimalNames = set("DECIMAL", "NUMERIC", "DEC", "NUMBER", "MONEY", "SMALLMONEY", "VARNUM", "FIXED")
	stringNames  = set("TEXT", "VARCHAR", "CHAR", "NCHAR", "NVARCHAR", "BPCHAR", "NAME", "CITEXT", "STRING",
		"CLOB", "NCLOB", "LONGTEXT", "MEDIUMTEXT", "TINYTEXT", "ENUM", "SET", "NTEXT", "XML", "JSON", "JSONB",
		"UUID", "ROWID", "UROWID", "OCICLOBLOCATOR", "LONGVARCHAR", "VARCHAR2", "NVARCHAR2", "CHARACTER",
		"CHARACTER VARYING", "CHARZ", "NULLSTR", "OCISTRING", "INTERVAL", "INTERVAL_YEAR_MONTH", "INTERVAL_DAY_TIME",
		"INTERVALYM_DTY", "INTERVALDS_DTY", "INTERVALYM", "INTERVALDS", "ARRAY", "MAP", "STRUCT", "UNION",
		"USER_DEFINED", "XMLTYPE", "OCIXMLTYPE", "INET", "CIDR", "MACADDR", "TIMETZ", "TNSTYPE(119)",
		"HIERARCHYID", "GEOGRAPHY")
	bytesNames = set("BYTEA", "BLOB", "LONGBLOB", "MEDIUMBLOB", "TINYBLOB", "BINARY", "VARBINARY", "IMAGE",
		"RAW", "LONGRAW", "LONGVARRAW", "VARRAW", "OCIBLOBLOCATOR", "OCIFILELOCATOR", "GEOMETRY")
	boolNames    = set("BOOL", "BOOLEAN", "BIT", "TNSTYPE(252)")
	clockNames   = set("TIME", "TIME WITHOUT TIME ZONE")
	wallNames    = set("DATE", "DATETIME", "DATETIME2", "SMALLDATETIME", "TIMESTAMP", "TIMESTAMPDTY", "OCIDATE", "TIMESTAMP_NTZ", "TIMESTAMP WITHOUT TIME ZONE")
	instantNames = set("TIMESTAMPTZ", "DATETIMEOFFSET", "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ_DTY",
		"TIMESTAMPLTZ_DTY", "TIMESTAMPELTZ", "TIMESTAMP_LTZ", "TIMESTAMP WITH LOCAL TIME ZONE")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// classify maps a driver's column type to a kind and conversion, per
// backend. Unknown or empty type names give a flexible column whose kind
// comes from its first non-NULL value.
func classify(fam family, ti typeInfo) colSpec {
	full := strings.ToUpper(strings.TrimSpace(ti.name))
	name, args := full, ""
	if i := strings.IndexByte(full, '('); i > 0 && !strings.HasPrefix(full, "TNSTYPE(") {
		name, args = strings.TrimSpace(full[:i]), full[i:]
	}
	name = strings.TrimPrefix(name, "UNSIGNED ")
	name = strings.TrimSuffix(name, " UNSIGNED")
	s := colSpec{scale: -1, flexible: fam == famSQLite}
	switch {
	case fam == famMySQL && (name == "TINYINT" || name == "BIT") && ti.mysqlBoolLength:
		s.kind, s.bit = KindBool, name == "BIT"
	case fam == famMySQL && name == "BIT":
		s.kind, s.bit = KindInt64, true
	case fam == famOracle && name == "LONG":
		s.kind = KindString
	case fam == famOracle && name == "NUMBER":
		switch {
		case ti.precision > 0 && ti.precision <= 18 && ti.scale == 0:
			s.kind = KindInt64
		default:
			s.kind = KindDecimal
			if ti.scale > 0 && ti.scale < 127 {
				s.scale = int(ti.scale)
			}
		}
	case fam == famPostgres && name == "MONEY": // locale-formatted text ("$1,234.50")
		s.kind = KindString
	case fam == famDatabricks && name == "TIMESTAMP":
		s.kind, s.time = KindTime, tmInstant
	case name == "UNIQUEIDENTIFIER":
		s.kind, s.guid = KindString, true
	case name == "UUID":
		s.kind, s.uuid = KindString, true
	case name == "SQL_VARIANT":
		s.kind, s.flexible = KindNull, true
	case intNames[name]:
		s.kind = KindInt64
	case floatNames[name]:
		s.kind = KindFloat64
	case decimalNames[name]:
		s.kind = KindDecimal
		if ti.scale >= 0 && ti.scale < 127 {
			s.scale = int(ti.scale)
		} else if sc, ok := declaredScale(args); ok {
			s.scale = sc
		}
	case stringNames[name]:
		s.kind = KindString
	case bytesNames[name]:
		s.kind = KindBytes
	case boolNames[name]:
		s.kind = KindBool
	case clockNames[name]:
		s.kind, s.time = KindTime, tmClock
	case wallNames[name]:
		s.kind, s.time = KindTime, tmWall
	case instantNames[name]:
		s.kind, s.time = KindTime, tmInstant
	case fam == famSQLite && name != "":
		s.kind = sqliteAffinity(name)
	default: // "", "NULL", or a type we do not know: the values decide
		s.kind, s.flexible = KindNull, true
	}
	return s
}

// sqliteAffinity applies SQLite's column affinity rules to a declared type
// we have no entry for ("VARCHAR2", "NATIVE CHARACTER"…).
func sqliteAffinity(name string) Kind {
	switch {
	case strings.Contains(name, "INT"):
		return KindInt64
	case strings.Contains(name, "CHAR"), strings.Contains(name, "CLOB"), strings.Contains(name, "TEXT"):
		return KindString
	case strings.Contains(name, "BLOB"):
		return KindBytes
	case strings.Contains(name, "REAL"), strings.Contains(name, "FLOA"), strings.Contains(name, "DOUB"):
		return KindFloat64
	}
	return KindNull // NUMERIC affinity: integers or reals, the values decide
}

// declaredScale reads s from "(p,s)".
func declaredScale(args string) (int, bool) {
	args = strings.Trim(args, "() ")
	_, sc, ok := strings.Cut(args, ",")
	if !ok {
		return 0, args != "" // DECIMAL(p): scale 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(sc))
	if err != nil || n < 0 || n > 100 {
		return 0, false
	}
	return n, true
}
