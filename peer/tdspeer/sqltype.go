package tdspeer

import (
	"fmt"
	"strconv"
	"strings"
)

// kind is a SQL Server data type.
type kind int

const (
	kBit kind = iota + 1
	kTinyInt
	kSmallInt
	kInt
	kBigInt
	kReal
	kFloat
	kDecimal
	kNumeric
	kMoney
	kSmallMoney
	kChar
	kVarChar
	kNChar
	kNVarChar
	kBinary
	kVarBinary
	kDate
	kTime
	kDateTime
	kSmallDateTime
	kDateTime2
	kDateTimeOffset
	kGUID
)

// maxLen is the length of a MAX type (VARCHAR(MAX) …).
const maxLen = -1

// sqlType is a SQL Server column or value type.
type sqlType struct {
	kind   kind
	length int // characters (char types) or bytes (binary); maxLen for MAX
	prec   int // DECIMAL/NUMERIC precision
	scale  int // DECIMAL/NUMERIC scale; fractional digits of TIME, DATETIME2, DATETIMEOFFSET
}

var typeNames = map[string]kind{
	"bit": kBit, "tinyint": kTinyInt, "smallint": kSmallInt, "int": kInt, "integer": kInt,
	"bigint": kBigInt, "real": kReal, "float": kFloat, "decimal": kDecimal, "dec": kDecimal,
	"numeric": kNumeric, "money": kMoney, "smallmoney": kSmallMoney, "char": kChar,
	"character": kChar, "varchar": kVarChar, "nchar": kNChar, "nvarchar": kNVarChar,
	"binary": kBinary, "varbinary": kVarBinary, "date": kDate, "time": kTime,
	"datetime": kDateTime, "smalldatetime": kSmallDateTime, "datetime2": kDateTime2,
	"datetimeoffset": kDateTimeOffset, "uniqueidentifier": kGUID,
	"text": kVarChar, "ntext": kNVarChar, "image": kVarBinary, "sysname": kNVarChar,
}

var kindNames = map[kind]string{
	kBit: "bit", kTinyInt: "tinyint", kSmallInt: "smallint", kInt: "int", kBigInt: "bigint",
	kReal: "real", kFloat: "float", kDecimal: "decimal", kNumeric: "numeric", kMoney: "money",
	kSmallMoney: "smallmoney", kChar: "char", kVarChar: "varchar", kNChar: "nchar",
	kNVarChar: "nvarchar", kBinary: "binary", kVarBinary: "varbinary", kDate: "date",
	kTime: "time", kDateTime: "datetime", kSmallDateTime: "smalldatetime",
	kDateTime2: "datetime2", kDateTimeOffset: "datetimeoffset", kGUID: "uniqueidentifier",
}

// parseType parses a T-SQL type name: "int", "nvarchar(100)",
// "varchar(max)", "decimal(38, 10)", "datetime2(3)". It also reads the
// names the peer gives SQLite columns ("decimal text(38,10)", lengths of
// MAX written as maxStored).
func parseType(s string) (sqlType, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	name, args := s, ""
	if i := strings.IndexByte(s, '('); i >= 0 {
		if !strings.HasSuffix(s, ")") {
			return sqlType{}, false
		}
		name, args = strings.TrimSpace(s[:i]), s[i+1:len(s)-1]
	}
	name = strings.TrimSuffix(name, " text") // the TEXT affinity marker
	name = strings.Trim(name, "[]")
	if name == "double precision" {
		name = "float"
	}
	if f := strings.Fields(name); len(f) == 2 && (f[1] == "varying") {
		switch f[0] {
		case "char", "character":
			name = "varchar"
		case "nchar", "national":
			name = "nvarchar"
		case "binary":
			name = "varbinary"
		}
	}
	k, ok := typeNames[name]
	if !ok {
		return sqlType{}, false
	}
	t := sqlType{kind: k}
	var nums []int
	if args != "" {
		for _, a := range strings.Split(args, ",") {
			a = strings.TrimSpace(a)
			if a == "max" {
				nums = append(nums, maxLen)
				continue
			}
			n, err := strconv.Atoi(a)
			if err != nil || n < 0 {
				return sqlType{}, false
			}
			nums = append(nums, n)
		}
	}
	arg := func(i, def int) int {
		if i < len(nums) {
			return nums[i]
		}
		return def
	}
	switch k {
	case kDecimal, kNumeric:
		t.prec, t.scale = arg(0, 18), arg(1, 0)
		if len(nums) > 2 || t.prec < 1 || t.prec > 38 || t.scale > t.prec {
			return sqlType{}, false
		}
	case kFloat:
		if len(nums) > 1 || arg(0, 53) < 1 || arg(0, 53) > 53 {
			return sqlType{}, false
		}
		if arg(0, 53) <= 24 {
			t.kind = kReal
		}
	case kChar, kVarChar, kNChar, kNVarChar, kBinary, kVarBinary:
		if len(nums) > 1 {
			return sqlType{}, false
		}
		t.length = arg(0, 1)
		limit := 8000
		if k == kNChar || k == kNVarChar {
			limit = 4000
		}
		switch {
		case name == "text" || name == "ntext" || name == "image":
			t.length = maxLen
		case t.length == maxLen:
			if k == kChar || k == kNChar || k == kBinary {
				return sqlType{}, false
			}
		case t.length >= maxStored:
			t.length = maxLen
		case t.length == 0 || t.length > limit:
			return sqlType{}, false
		}
		if name == "sysname" {
			t.length = 128
		}
	case kTime, kDateTime2, kDateTimeOffset:
		t.scale = arg(0, 7)
		if len(nums) > 1 || t.scale > 7 {
			return sqlType{}, false
		}
	default:
		if len(nums) > 0 {
			return sqlType{}, false
		}
	}
	return t, true
}

// maxStored is the length the peer writes for MAX in the column types it
// gives SQLite, which has no MAX.
const maxStored = 2147483647

// String is the type's T-SQL name, as in error messages ("int",
// "nvarchar(max)", "decimal(10,2)").
func (t sqlType) String() string {
	name := kindNames[t.kind]
	switch t.kind {
	case kDecimal, kNumeric:
		return fmt.Sprintf("%s(%d,%d)", name, t.prec, t.scale)
	case kChar, kVarChar, kNChar, kNVarChar, kBinary, kVarBinary:
		if t.length == maxLen {
			return name + "(max)"
		}
		return fmt.Sprintf("%s(%d)", name, t.length)
	case kTime, kDateTime2, kDateTimeOffset:
		return fmt.Sprintf("%s(%d)", name, t.scale)
	}
	return name
}

// baseName is the type's name without its length, as SQL Server writes it
// in conversion errors ("nvarchar", "numeric").
func (t sqlType) baseName() string {
	s := t.String()
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = s[:i]
	}
	return s
}

// unicode reports whether t holds Unicode text (NCHAR, NVARCHAR).
func (t sqlType) unicode() bool { return t.kind == kNChar || t.kind == kNVarChar }

// sqliteDecl is the column type the peer gives SQLite for a declared
// T-SQL column type: the same name, with MAX written as a number, and
// exact numerics marked for TEXT affinity so SQLite keeps their digits.
func (t sqlType) sqliteDecl() string {
	s := t.String()
	s = strings.ReplaceAll(s, "(max)", fmt.Sprintf("(%d)", maxStored))
	switch t.kind {
	case kDecimal, kNumeric, kMoney, kSmallMoney:
		if i := strings.IndexByte(s, '('); i >= 0 {
			return s[:i] + " text" + s[i:]
		}
		return s + " text"
	}
	return s
}
