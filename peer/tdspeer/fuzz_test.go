package tdspeer

import (
	"testing"
)

// The parsers of client input must reject, never panic, whatever bytes
// arrive.

func FuzzLogin7(f *testing.F) {
	f.Add(login7Bytes("u", "pw", "master"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parseLogin7(b)
	})
}

func FuzzPrelogin(f *testing.F) {
	f.Add([]byte{preEncryption, 0, 6, 0, 1, preTerminator, encryptNotSup})
	f.Add(preloginAnswer(encryptOn, false))
	f.Add(preloginAnswer(encryptOn, true))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parsePrelogin(b)
	})
}

func FuzzRPCParams(f *testing.F) {
	var t tokens
	t.bvarchar("@p1")
	t.byte(0)
	t.bytes([]byte{typeNVarChar, 0xFF, 0xFF})
	t.bytes(collation)
	t.u64(plpUnknown)
	t.u32(2)
	t.bytes([]byte{'a', 0})
	t.u32(0)
	f.Add(t.b)
	f.Add([]byte{0, 0, typeDTON, 7, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0, 0, typeDecimalN, 17, 38, 2, 17, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Fuzz(func(t *testing.T, b []byte) {
		rd := &reader{b: b}
		for len(rd.b) > 0 && rd.err == nil {
			if p, e := readParam(rd); e == nil {
				_ = p.sqliteArg()
			} else {
				break
			}
		}
	})
}

func FuzzTranslate(f *testing.F) {
	for _, s := range []string{
		"SELECT TOP (5) CAST(x AS DECIMAL(38,9)) AS d, N'é' + N'x' FROM dbo.t WHERE a / b > 1 ORDER BY 1 OFFSET 2 ROWS FETCH NEXT 3 ROWS ONLY",
		"CREATE TABLE #t (id INT IDENTITY(1,1) PRIMARY KEY, v VARCHAR(MAX))",
		"SELECT CONVERT(NVARCHAR(10), @p1, 120); WAITFOR DELAY '00:00:01'",
		"SELECT [a]]b], \"c\"\"d\" FROM sys.dm_exec_sessions OPTION (MAXRECURSION 0)",
		"/* unterminated", "'", "N'", "SELECT (((", "SELECT 1 % -(2)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks, _ := lex(s)
		if join(toks) != s {
			t.Fatalf("lex lost text: %q", s)
		}
		e := &env{params: map[string]sqlType{"@p1": {kind: kInt}}, sessions: func() string { return "SELECT 1 AS session_id" }}
		for _, st := range splitStatements(toks) {
			_, _ = translate(st, e)
		}
	})
}

func FuzzConvert(f *testing.F) {
	f.Add("12.5", "decimal(10,2)")
	f.Add("2024-01-02 03:04:05.1234567 +05:30", "datetimeoffset(7)")
	f.Add("abc", "int")
	f.Fuzz(func(t *testing.T, v, typ string) {
		st, ok := parseType(typ)
		if !ok {
			return
		}
		cv, e := convert(v, st, true)
		if e != nil || cv == nil {
			return
		}
		var tk tokens
		tk.typeInfo(st)
		tk.value(st, cv)
	})
}
