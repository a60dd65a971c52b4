package coltype

import (
	"strconv"
	"strings"
	"sync"
)

// The type names each class holds. They are maps built on first use, not at
// package init: a Flow that never classifies a column (SELECT 1 and exit)
// does not pay for them.
var names = sync.OnceValue(func() map[string]class {
	m := map[string]class{}
	add := func(c class, names ...string) {
		for _, n := range names {
			if _, dup := m[n]; !dup { // the first class named wins, as a switch would
				m[n] = c
			}
		}
	}
	add(classInt, "INT", "INTEGER", "INT2", "INT4", "INT8", "SMALLINT", "BIGINT", "TINYINT", "MEDIUMINT",
		"YEAR", "OID", "XID", "CID", "SERIAL", "SERIAL4", "SERIAL8", "BIGSERIAL", "SMALLSERIAL", "BINTEGER", "UINT", "SB1", "LONGLONG")
	add(classFloat, "REAL", "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "IBFLOAT", "IBDOUBLE",
		"BFLOAT", "BDOUBLE", "BINARY_FLOAT", "BINARY_DOUBLE")
	add(classDecimal, "DECIMAL", "NUMERIC", "DEC", "NUMBER", "MONEY", "SMALLMONEY", "VARNUM", "FIXED")
	add(classString, "TEXT", "VARCHAR", "CHAR", "NCHAR", "NVARCHAR", "BPCHAR", "NAME", "CITEXT", "STRING",
		"CLOB", "NCLOB", "LONGTEXT", "MEDIUMTEXT", "TINYTEXT", "ENUM", "SET", "NTEXT", "XML", "JSON", "JSONB",
		"UUID", "ROWID", "UROWID", "OCICLOBLOCATOR", "LONGVARCHAR", "VARCHAR2", "NVARCHAR2", "CHARACTER",
		"CHARACTER VARYING", "CHARZ", "NULLSTR", "OCISTRING", "INTERVAL", "INTERVAL_YEAR_MONTH", "INTERVAL_DAY_TIME",
		"INTERVALYM_DTY", "INTERVALDS_DTY", "INTERVALYM", "INTERVALDS", "ARRAY", "MAP", "STRUCT", "UNION",
		"USER_DEFINED", "XMLTYPE", "OCIXMLTYPE", "INET", "CIDR", "MACADDR", "TIMETZ", "TNSTYPE(119)",
		"HIERARCHYID", "GEOGRAPHY")
	add(classBytes, "BYTEA", "BLOB", "LONGBLOB", "MEDIUMBLOB", "TINYBLOB", "BINARY", "VARBINARY", "IMAGE",
		"RAW", "LONGRAW", "LONGVARRAW", "VARRAW", "OCIBLOBLOCATOR", "OCIFILELOCATOR", "GEOMETRY")
	add(classBool, "BOOL", "BOOLEAN", "BIT", "TNSTYPE(252)")
	add(classClock, "TIME", "TIME WITHOUT TIME ZONE")
	add(classWall, "DATE", "DATETIME", "DATETIME2", "SMALLDATETIME", "TIMESTAMP", "TIMESTAMPDTY", "OCIDATE", "TIMESTAMP_NTZ", "TIMESTAMP WITHOUT TIME ZONE")
	add(classInstant, "TIMESTAMPTZ", "DATETIMEOFFSET", "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ_DTY",
		"TIMESTAMPLTZ_DTY", "TIMESTAMPELTZ", "TIMESTAMP_LTZ", "TIMESTAMP WITH LOCAL TIME ZONE")
	return m
})

// class is which set of names a type name is in.
type class uint8

const (
	classNone class = iota
	classInt
	classFloat
	classDecimal
	classString
	classBytes
	classBool
	classClock
	classWall
	classInstant
)

// Classify maps a column type to a kind by the names the families share
// (INT, VARCHAR, DECIMAL(p,s), TIMESTAMPTZ, UNIQUEIDENTIFIER…). Empty or
// unknown type names give a flexible column whose kind comes from its first
// non-NULL value.
func Classify(i Info) Spec {
	name, args := Split(i.Name)
	s := Spec{Scale: -1}
	c := names()[name]
	switch {
	case name == "UNIQUEIDENTIFIER":
		s.Kind, s.GUID = String, true
	case name == "UUID":
		s.Kind, s.UUID = String, true
	case name == "SQL_VARIANT":
		s.Kind, s.Flexible = Null, true
	case c == classInt:
		s.Kind = Int64
	case c == classFloat:
		s.Kind = Float64
	case c == classDecimal:
		s.Kind = Decimal
		if i.Scale >= 0 && i.Scale < 127 {
			s.Scale = int(i.Scale)
		} else if sc, ok := declaredScale(args); ok {
			s.Scale = sc
		}
	case c == classString:
		s.Kind = String
	case c == classBytes:
		s.Kind = Bytes
	case c == classBool:
		s.Kind = Bool
	case c == classClock:
		s.Kind, s.Time = Time, Clock
	case c == classWall:
		s.Kind, s.Time, s.Date = Time, Wall, name == "DATE"
	case c == classInstant:
		s.Kind, s.Time = Time, Instant
	default: // "", "NULL", or a type we do not know: the values decide
		s.Kind, s.Flexible = Null, true
	}
	return s
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
