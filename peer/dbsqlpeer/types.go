package dbsqlpeer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
)

// sparkType is a result column's Spark SQL type as the peer reports it in
// TTableSchema. Precision and scale are set for DECIMAL only.
type sparkType struct {
	id        tcli.TTypeId
	precision int
	scale     int
	elem      *sparkType    // ARRAY's element, MAP's value type
	key       *sparkType    // MAP's key type
	fields    []structField // STRUCT's fields
}

var (
	typeBoolean   = sparkType{id: tcli.TTypeId_BOOLEAN_TYPE}
	typeTinyint   = sparkType{id: tcli.TTypeId_TINYINT_TYPE}
	typeSmallint  = sparkType{id: tcli.TTypeId_SMALLINT_TYPE}
	typeInt       = sparkType{id: tcli.TTypeId_INT_TYPE}
	typeBigint    = sparkType{id: tcli.TTypeId_BIGINT_TYPE}
	typeFloat     = sparkType{id: tcli.TTypeId_FLOAT_TYPE}
	typeDouble    = sparkType{id: tcli.TTypeId_DOUBLE_TYPE}
	typeString    = sparkType{id: tcli.TTypeId_STRING_TYPE}
	typeBinary    = sparkType{id: tcli.TTypeId_BINARY_TYPE}
	typeDate      = sparkType{id: tcli.TTypeId_DATE_TYPE}
	typeTimestamp = sparkType{id: tcli.TTypeId_TIMESTAMP_TYPE}
	typeNull      = sparkType{id: tcli.TTypeId_NULL_TYPE}

	typeDecimalID = tcli.TTypeId_DECIMAL_TYPE
)

// Spark's defaults for a bare DECIMAL.
const (
	defaultDecimalPrecision = 10
	defaultDecimalScale     = 0
	maxDecimalPrecision     = 38
)

// String returns the type as Spark SQL spells it, e.g. "DECIMAL(10,2)".
func (t sparkType) String() string {
	if t.id == tcli.TTypeId_DECIMAL_TYPE {
		return fmt.Sprintf("DECIMAL(%d,%d)", t.precision, t.scale)
	}
	if t.isComplex() {
		return t.complexName()
	}
	return strings.TrimSuffix(t.id.String(), "_TYPE")
}

// typeDesc is the TTypeDesc the driver reads: one primitive entry, with
// precision and scale qualifiers for DECIMAL as Databricks sends them.
func (t sparkType) typeDesc() *tcli.TTypeDesc {
	entry := &tcli.TPrimitiveTypeEntry{Type: t.id}
	if t.id == tcli.TTypeId_DECIMAL_TYPE {
		p, s := int32(t.precision), int32(t.scale)
		entry.TypeQualifiers = &tcli.TTypeQualifiers{Qualifiers: map[string]*tcli.TTypeQualifierValue{
			"precision": {I32Value: &p},
			"scale":     {I32Value: &s},
		}}
	}
	return &tcli.TTypeDesc{Types: []*tcli.TTypeEntry{{PrimitiveEntry: entry}}}
}

// sqliteType is the SQLite type name with the same storage behaviour, used
// where a Spark type name must be rewritten for SQLite (CAST targets).
func (t sparkType) sqliteType() string {
	switch t.id {
	case tcli.TTypeId_BOOLEAN_TYPE, tcli.TTypeId_TINYINT_TYPE, tcli.TTypeId_SMALLINT_TYPE,
		tcli.TTypeId_INT_TYPE, tcli.TTypeId_BIGINT_TYPE:
		return "INTEGER"
	case tcli.TTypeId_FLOAT_TYPE, tcli.TTypeId_DOUBLE_TYPE:
		return "REAL"
	case tcli.TTypeId_BINARY_TYPE:
		return "BLOB"
	case tcli.TTypeId_DECIMAL_TYPE:
		return "NUMERIC"
	default:
		return "TEXT"
	}
}

// parseSparkType reads a declared or CAST type name (case-insensitive, e.g.
// "int", "DECIMAL(10, 2)", "varchar(20)"). TEXT is read as STRING because
// the peer rewrites STRING to TEXT in DDL (SQLite gives a column declared
// STRING numeric affinity). It reports false for a name it does not know.
func parseSparkType(name string) (sparkType, bool) {
	name = strings.ToUpper(strings.TrimSpace(name))
	base, args := name, ""
	if i := strings.IndexByte(name, '('); i >= 0 {
		if !strings.HasSuffix(name, ")") {
			return sparkType{}, false
		}
		base, args = strings.TrimSpace(name[:i]), name[i+1:len(name)-1]
	}
	base = strings.Join(strings.Fields(base), " ")
	switch base {
	case "BOOLEAN", "BOOL":
		return typeBoolean, true
	case "TINYINT", "BYTE":
		return typeTinyint, true
	case "SMALLINT", "SHORT":
		return typeSmallint, true
	case "INT", "INTEGER":
		return typeInt, true
	case "BIGINT", "LONG":
		return typeBigint, true
	case "FLOAT", "REAL": // Databricks: FLOAT and REAL are the 4-byte type
		return typeFloat, true
	case "DOUBLE", "DOUBLE PRECISION":
		return typeDouble, true
	case "STRING", "TEXT", "VARCHAR", "CHAR", "CLOB":
		return typeString, true
	case "BINARY", "BLOB", "VARBINARY":
		return typeBinary, true
	case "DATE":
		return typeDate, true
	case "TIMESTAMP", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "DATETIME":
		return typeTimestamp, true
	case "DECIMAL", "DEC", "NUMERIC":
		return parseDecimalArgs(args)
	}
	return sparkType{}, false
}

func parseDecimalArgs(args string) (sparkType, bool) {
	t := sparkType{id: tcli.TTypeId_DECIMAL_TYPE, precision: defaultDecimalPrecision, scale: defaultDecimalScale}
	if strings.TrimSpace(args) == "" {
		return t, true
	}
	parts := strings.Split(args, ",")
	if len(parts) > 2 {
		return sparkType{}, false
	}
	p, err := strconv.Atoi(strings.TrimSpace(parts[0]))
	if err != nil || p < 1 || p > maxDecimalPrecision {
		return sparkType{}, false
	}
	t.precision, t.scale = p, 0
	if len(parts) == 2 {
		s, err := strconv.Atoi(strings.TrimSpace(parts[1]))
		if err != nil || s < 0 || s > p {
			return sparkType{}, false
		}
		t.scale = s
	}
	return t, true
}
