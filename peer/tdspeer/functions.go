package tdspeer

import (
	"crypto/rand"
	"database/sql/driver"
	"errors"
	"strings"
	"time"
	"unicode/utf16"

	"modernc.org/sqlite"
)

// SQL Server functions SQLite lacks, registered with the SQLite driver
// under names the translation (tsql.go) rewrites calls to. They are
// registered once per process, for every connection opened after.
func init() {
	reg := func(name string, n int32, f func(args []driver.Value) (driver.Value, error)) {
		sqlite.MustRegisterScalarFunction(name, n, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			return f(args)
		})
	}
	det := func(name string, n int32, f func(args []driver.Value) (driver.Value, error)) {
		sqlite.MustRegisterDeterministicScalarFunction(name, n, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			return f(args)
		})
	}
	// tdspeer_divisor(x) is x, or fails with SQL Server's 8134 when x is zero.
	det("tdspeer_divisor", 1, func(a []driver.Value) (driver.Value, error) {
		switch x := a[0].(type) {
		case int64:
			if x == 0 {
				return nil, errors.New(errDivZeroText)
			}
		case float64:
			if x == 0 {
				return nil, errors.New(errDivZeroText)
			}
		case string:
			if v, err := convert(x, sqlType{kind: kFloat}, false); err == nil && v.(float64) == 0 {
				return nil, errors.New(errDivZeroText)
			}
		}
		return a[0], nil
	})
	// LEN: characters without trailing spaces.
	det("tdspeer_len", 1, func(a []driver.Value) (driver.Value, error) {
		switch x := a[0].(type) {
		case nil:
			return nil, nil
		case []byte:
			return int64(len(x)), nil
		case string:
			return int64(len(utf16.Encode([]rune(strings.TrimRight(x, " "))))), nil
		case int64, float64:
			s, _ := convert(x, sqlType{kind: kNVarChar, length: maxLen}, false)
			return int64(len(s.(string))), nil
		}
		return nil, nil
	})
	// DATALENGTH: bytes (strings counted as NVARCHAR, two bytes a unit).
	det("tdspeer_datalength", 1, func(a []driver.Value) (driver.Value, error) {
		switch x := a[0].(type) {
		case nil:
			return nil, nil
		case []byte:
			return int64(len(x)), nil
		case string:
			return int64(2 * len(utf16.Encode([]rune(x)))), nil
		case int64:
			return int64(8), nil
		case float64:
			return int64(8), nil
		}
		return nil, nil
	})
	// CHARINDEX(find, in[, start]): 1-based, 0 when absent.
	det("tdspeer_charindex", -1, func(a []driver.Value) (driver.Value, error) {
		if len(a) < 2 || len(a) > 3 {
			return nil, errors.New("tdspeer: CHARINDEX takes 2 or 3 arguments")
		}
		find, ok1 := a[0].(string)
		in, ok2 := a[1].(string)
		if !ok1 || !ok2 {
			return nil, nil
		}
		start := int64(1)
		if len(a) == 3 {
			if s, ok := a[2].(int64); ok && s > 1 {
				start = s
			}
		}
		r := []rune(in)
		if int(start-1) > len(r) {
			return int64(0), nil
		}
		i := strings.Index(strings.ToLower(string(r[start-1:])), strings.ToLower(find))
		if i < 0 {
			return int64(0), nil
		}
		return start + int64(len([]rune(string(r[start-1:])[:i]))), nil
	})
	det("tdspeer_replicate", 2, func(a []driver.Value) (driver.Value, error) {
		s, ok1 := a[0].(string)
		n, ok2 := a[1].(int64)
		if !ok1 || !ok2 || n < 0 || int64(len(s))*n > 1<<30 {
			return nil, nil
		}
		return strings.Repeat(s, int(n)), nil
	})
	det("tdspeer_space", 1, func(a []driver.Value) (driver.Value, error) {
		if n, ok := a[0].(int64); ok && n >= 0 && n <= 8000 {
			return strings.Repeat(" ", int(n)), nil
		}
		return nil, nil
	})
	now := func(utc bool, layout string) func([]driver.Value) (driver.Value, error) {
		return func([]driver.Value) (driver.Value, error) {
			t := time.Now()
			if utc {
				t = t.UTC()
			}
			return t.Format(layout), nil
		}
	}
	reg("tdspeer_getdate", 0, now(false, "2006-01-02 15:04:05.000"))
	reg("tdspeer_getutcdate", 0, now(true, "2006-01-02 15:04:05.000"))
	reg("tdspeer_sysdatetime", 0, now(false, "2006-01-02 15:04:05.0000000"))
	reg("tdspeer_sysutcdatetime", 0, now(true, "2006-01-02 15:04:05.0000000"))
	reg("tdspeer_sysdatetimeoffset", 0, now(false, "2006-01-02 15:04:05.0000000 -07:00"))
	reg("tdspeer_newid", 0, func([]driver.Value) (driver.Value, error) {
		var g [16]byte
		_, _ = rand.Read(g[:])
		g[6] = g[6]&0x0F | 0x40
		g[8] = g[8]&0x3F | 0x80
		return formatGUID(g), nil
	})
}
