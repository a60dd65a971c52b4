package orapeer

import (
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
)

// Oracle functions the peer implements on SQLite, registered once for the
// process under ora_ names (the rewriter maps Oracle's names to them).

type fn = func(ctx *sqlite.FunctionContext, args []driver.Value) (driver.Value, error)

func init() {
	det := map[string]struct {
		n int32
		f fn
	}{
		"ora_nan":              {0, func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) { return "NaN", nil }},
		"ora_inf":              {0, func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) { return math.Inf(1), nil }},
		"ora_to_date":          {-1, toDateFn(func(t time.Time) string { return timeText(t.Truncate(time.Second), false) })},
		"ora_to_timestamp":     {-1, toDateFn(func(t time.Time) string { return timeText(t, false) })},
		"ora_to_timestamp_tz":  {-1, toDateFn(func(t time.Time) string { return timeText(t, true) })},
		"ora_cast_date":        {1, toDateFn(func(t time.Time) string { return timeText(t.Truncate(time.Second), false) })},
		"ora_cast_timestamp":   {1, toDateFn(func(t time.Time) string { return timeText(t, false) })},
		"ora_cast_tstz":        {1, toDateFn(func(t time.Time) string { return timeText(t, true) })},
		"ora_to_char":          {-1, toChar},
		"ora_to_number":        {-1, toNumber},
		"ora_to_binary_double": {1, toBinaryDouble},
		"ora_nvl2":             {3, nvl2},
		"ora_decode":           {-1, decode},
		"ora_mod":              {2, mod},
		"ora_trunc":            {-1, trunc},
		"ora_concat":           {2, concat},
		"ora_length":           {1, length},
		"ora_substr":           {-1, substr},
		"ora_power":            {2, math2(math.Pow)},
		"ora_sqrt":             {1, math1(math.Sqrt)},
		"ora_floor":            {1, math1(math.Floor)},
		"ora_ceil":             {1, math1(math.Ceil)},
		"ora_round":            {-1, round},
		"ora_hextoraw":         {1, hexToRaw},
		"ora_rawtohex":         {1, rawToHex},
		"ora_add_months":       {2, addMonths},
		"ora_div":              {2, div},
		"ora_lpad":             {-1, padFn(true)},
		"ora_rpad":             {-1, padFn(false)},
		"ora_instr":            {-1, instr},
	}
	for name, d := range det {
		sqlite.MustRegisterDeterministicScalarFunction(name, d.n, d.f)
	}
	sqlite.MustRegisterScalarFunction("ora_sysdate", 0, func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		return timeText(time.Now().UTC().Truncate(time.Second), false), nil
	})
	sqlite.MustRegisterScalarFunction("ora_systimestamp", 0, func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		return timeText(time.Now().UTC().Truncate(time.Microsecond), true), nil
	})
	sqlite.MustRegisterScalarFunction("ora_localtimestamp", 0, func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		return timeText(time.Now().UTC().Truncate(time.Microsecond), false), nil
	})
}

// invalidNumber is ORA-01722, as a function error the peer maps back.
func invalidNumber() error { return fmt.Errorf("%s", errf(1722, "invalid number").Error()) }

// num reads a numeric argument: ok is false for NULL.
func num(v driver.Value) (float64, bool, error) {
	switch x := v.(type) {
	case nil:
		return 0, false, nil
	case int64:
		return float64(x), true, nil
	case float64:
		return x, true, nil
	case string:
		s := strings.TrimSpace(x)
		switch s {
		case "NaN":
			return math.NaN(), true, nil
		case "Inf":
			return math.Inf(1), true, nil
		case "-Inf":
			return math.Inf(-1), true, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, false, invalidNumber()
		}
		return f, true, nil
	case []byte:
		return num(string(x))
	}
	return 0, false, invalidNumber()
}

// numResult returns an integer when f is whole and exact.
func numResult(f float64) driver.Value {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f)
	}
	return f
}

func math1(g func(float64) float64) fn {
	return func(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
		x, ok, err := num(a[0])
		if !ok || err != nil {
			return nil, err
		}
		return numResult(g(x)), nil
	}
}

func math2(g func(float64, float64) float64) fn {
	return func(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
		x, ok1, err := num(a[0])
		if err != nil {
			return nil, err
		}
		y, ok2, err := num(a[1])
		if !ok1 || !ok2 || err != nil {
			return nil, err
		}
		return numResult(g(x, y)), nil
	}
}

func div(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if s, ok := a[1].(string); ok && (s == "NaN" || s == "Inf" || s == "-Inf") {
		x, _, _ := num(a[0])
		y, _, _ := num(s)
		return numResult(x / y), nil
	}
	y, ok2, err := num(a[1])
	if err != nil {
		return nil, err
	}
	x, ok1, err := num(a[0])
	if err != nil || !ok1 || !ok2 {
		return nil, err
	}
	if y == 0 {
		return nil, fmt.Errorf("%s", errf(1476, "divisor is equal to zero").Error())
	}
	if xi, ok := a[0].(int64); ok {
		if yi, ok := a[1].(int64); ok && xi%yi == 0 {
			return xi / yi, nil
		}
	}
	return numResult(x / y), nil
}

func mod(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	x, ok1, err := num(a[0])
	if err != nil {
		return nil, err
	}
	y, ok2, err := num(a[1])
	if err != nil || !ok1 || !ok2 {
		return nil, err
	}
	if y == 0 {
		return numResult(x), nil
	}
	return numResult(math.Mod(x, y)), nil
}

func round(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if len(a) < 1 || len(a) > 2 {
		return nil, fmt.Errorf("%s", errf(909, "invalid number of arguments").Error())
	}
	x, ok, err := num(a[0])
	if !ok || err != nil {
		return nil, err
	}
	n := 0.0
	if len(a) == 2 {
		if n, _, err = num(a[1]); err != nil {
			return nil, err
		}
	}
	p := math.Pow(10, math.Trunc(n))
	return numResult(math.Round(x*p) / p), nil
}

func trunc(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if len(a) < 1 || len(a) > 2 {
		return nil, fmt.Errorf("%s", errf(909, "invalid number of arguments").Error())
	}
	if s, ok := a[0].(string); ok {
		if t, ok := parseTimeText(s); ok {
			return timeText(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), false), nil
		}
	}
	x, ok, err := num(a[0])
	if !ok || err != nil {
		return nil, err
	}
	n := 0.0
	if len(a) == 2 {
		if n, _, err = num(a[1]); err != nil {
			return nil, err
		}
	}
	p := math.Pow(10, math.Trunc(n))
	return numResult(math.Trunc(x*p) / p), nil
}

func nvl2(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if a[0] != nil {
		return a[1], nil
	}
	return a[2], nil
}

func decode(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if len(a) < 3 {
		return nil, fmt.Errorf("%s", errf(938, "not enough arguments for function").Error())
	}
	for i := 1; i+1 < len(a); i += 2 {
		if sameValue(a[0], a[i]) {
			return a[i+1], nil
		}
	}
	if len(a)%2 == 0 {
		return a[len(a)-1], nil
	}
	return nil, nil
}

// sameValue compares as DECODE does: NULL matches NULL.
func sameValue(x, y driver.Value) bool {
	if x == nil || y == nil {
		return x == nil && y == nil
	}
	fx, ok1, e1 := num(x)
	fy, ok2, e2 := num(y)
	if ok1 && ok2 && e1 == nil && e2 == nil {
		return fx == fy
	}
	return fmt.Sprint(x) == fmt.Sprint(y)
}

func concat(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	s := strVal(a[0]) + strVal(a[1])
	if s == "" {
		return nil, nil
	}
	return s, nil
}

func strVal(v driver.Value) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return strings.ToUpper(hex.EncodeToString(x))
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return numberText(x)
	case time.Time:
		return timeText(x, true)
	}
	return fmt.Sprint(v)
}

// numberText formats a number as Oracle's TO_CHAR does without a mask
// (0.5 is ".5").
func numberText(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if math.Abs(f) >= 1e38 || (f != 0 && math.Abs(f) < 1e-38) {
		s = strings.ToUpper(strconv.FormatFloat(f, 'E', -1, 64))
	}
	if strings.HasPrefix(s, "0.") {
		s = s[1:]
	} else if strings.HasPrefix(s, "-0.") {
		s = "-" + s[2:]
	}
	return s
}

func length(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if a[0] == nil {
		return nil, nil
	}
	if b, ok := a[0].([]byte); ok {
		return int64(len(b)), nil
	}
	return int64(len([]rune(strVal(a[0])))), nil
}

func substr(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if len(a) < 2 || len(a) > 3 {
		return nil, fmt.Errorf("%s", errf(909, "invalid number of arguments").Error())
	}
	if a[0] == nil || a[1] == nil {
		return nil, nil
	}
	r := []rune(strVal(a[0]))
	p, _, err := num(a[1])
	if err != nil {
		return nil, err
	}
	pos := int(p)
	if pos == 0 {
		pos = 1
	}
	if pos < 0 {
		pos = len(r) + pos + 1
		if pos < 1 {
			return nil, nil
		}
	}
	if pos > len(r) {
		return nil, nil
	}
	end := len(r)
	if len(a) == 3 {
		if a[2] == nil {
			return nil, nil
		}
		n, _, err := num(a[2])
		if err != nil {
			return nil, err
		}
		if n < 1 {
			return nil, nil
		}
		end = min(len(r), pos-1+int(n))
	}
	s := string(r[pos-1 : end])
	if s == "" {
		return nil, nil
	}
	return s, nil
}

func hexToRaw(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if a[0] == nil {
		return nil, nil
	}
	b, err := hex.DecodeString(strVal(a[0]))
	if err != nil {
		return nil, invalidHex()
	}
	return b, nil
}

func invalidHex() error { return fmt.Errorf("%s", errf(1465, "invalid hex number").Error()) }

func rawToHex(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if a[0] == nil {
		return nil, nil
	}
	if b, ok := a[0].([]byte); ok {
		return strings.ToUpper(hex.EncodeToString(b)), nil
	}
	return strings.ToUpper(hex.EncodeToString([]byte(strVal(a[0])))), nil
}

func toNumber(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if len(a) == 0 || a[0] == nil {
		return nil, nil
	}
	switch x := a[0].(type) {
	case int64, float64:
		return x, nil
	}
	s := strings.TrimSpace(strVal(a[0]))
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(s, "xXpP_") {
		return nil, invalidNumber()
	}
	return numberValue(s), nil
}

func toBinaryDouble(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	switch x := a[0].(type) {
	case nil:
		return nil, nil
	case string:
		switch strings.ToUpper(strings.TrimSpace(x)) {
		case "NAN":
			return "NaN", nil
		case "INF", "INFINITY", "+INF":
			return "Inf", nil
		case "-INF", "-INFINITY":
			return "-Inf", nil
		}
	}
	f, ok, err := num(a[0])
	if !ok || err != nil {
		return nil, err
	}
	return f, nil
}

func toChar(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if len(a) == 0 || len(a) > 3 {
		return nil, fmt.Errorf("%s", errf(909, "invalid number of arguments").Error())
	}
	if a[0] == nil {
		return nil, nil
	}
	if len(a) >= 2 && a[1] != nil {
		if s, ok := a[0].(string); ok {
			if t, ok := parseTimeText(s); ok {
				return formatMask(t, strVal(a[1])), nil
			}
		}
	}
	s := strVal(a[0])
	if s == "" {
		return nil, nil
	}
	return s, nil
}

func toDateFn(out func(time.Time) string) fn {
	return func(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
		if len(a) == 0 || len(a) > 3 {
			return nil, fmt.Errorf("%s", errf(909, "invalid number of arguments").Error())
		}
		if a[0] == nil {
			return nil, nil
		}
		s := strings.TrimSpace(strVal(a[0]))
		var t time.Time
		var err error
		if len(a) >= 2 && a[1] != nil {
			t, err = parseMask(s, strVal(a[1]))
		} else if tt, ok := parseTimeText(s); ok {
			t = tt
		} else {
			t, err = parseMask(s, "DD-MON-RR")
		}
		if err != nil {
			return nil, err
		}
		return out(t), nil
	}
}

func addMonths(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if a[0] == nil || a[1] == nil {
		return nil, nil
	}
	t, ok := parseTimeText(strVal(a[0]))
	if !ok {
		return nil, fmt.Errorf("%s", errf(932, "inconsistent datatypes: expected DATE got NUMBER").Error())
	}
	n, _, err := num(a[1])
	if err != nil {
		return nil, err
	}
	return timeText(t.AddDate(0, int(n), 0), false), nil
}

// maskLayout translates an Oracle datetime format mask to a Go layout.
func maskLayout(mask string) (string, error) {
	m := strings.ToUpper(mask)
	var b strings.Builder
	for i := 0; i < len(m); {
		rest := m[i:]
		emit := func(n int, s string) { b.WriteString(s); i += n }
		switch {
		case strings.HasPrefix(rest, "YYYY"):
			emit(4, "2006")
		case strings.HasPrefix(rest, "RRRR"):
			emit(4, "2006")
		case strings.HasPrefix(rest, "YY"), strings.HasPrefix(rest, "RR"):
			emit(2, "06")
		case strings.HasPrefix(rest, "MONTH"):
			emit(5, "January")
		case strings.HasPrefix(rest, "MON"):
			emit(3, "Jan")
		case strings.HasPrefix(rest, "MM"):
			emit(2, "01")
		case strings.HasPrefix(rest, "DDD"):
			emit(3, "002")
		case strings.HasPrefix(rest, "DD"):
			emit(2, "02")
		case strings.HasPrefix(rest, "DY"):
			emit(2, "Mon")
		case strings.HasPrefix(rest, "HH24"):
			emit(4, "15")
		case strings.HasPrefix(rest, "HH12"):
			emit(4, "03")
		case strings.HasPrefix(rest, "HH"):
			emit(2, "03")
		case strings.HasPrefix(rest, "MI"):
			emit(2, "04")
		case strings.HasPrefix(rest, "SS"):
			emit(2, "05")
		case strings.HasPrefix(rest, "FF"):
			n := 2
			digits := 9
			if len(rest) > 2 && rest[2] >= '1' && rest[2] <= '9' {
				digits = int(rest[2] - '0')
				n = 3
			}
			// the '.' or ',' before FF is already written
			emit(n, strings.Repeat("9", digits))
		case strings.HasPrefix(rest, "AM"), strings.HasPrefix(rest, "PM"):
			emit(2, "PM")
		case strings.HasPrefix(rest, "TZH:TZM"):
			emit(7, "-07:00")
		case strings.HasPrefix(rest, "TZH"):
			emit(3, "-07")
		case strings.HasPrefix(rest, "TZR"):
			emit(3, "-07:00")
		case rest[0] == '"':
			j := strings.IndexByte(rest[1:], '"')
			if j < 0 {
				return "", fmt.Errorf("%s", errf(1861, "literal does not match format string").Error())
			}
			emit(j+2, mask[i+1:i+1+j])
		case strings.ContainsRune(" -/:.,T;", rune(rest[0])):
			emit(1, rest[:1])
		default:
			return "", fmt.Errorf("%s", errf(1821, "date format not recognized").Error())
		}
	}
	return b.String(), nil
}

func parseMask(s, mask string) (time.Time, error) {
	layout, err := maskLayout(mask)
	if err != nil {
		return time.Time{}, err
	}
	// Go wants fractional digits written after the dot with 9s or 0s.
	t, err := time.Parse(layout, s)
	if err != nil {
		// Oracle is lenient about month-name case and a missing time
		t2, err2 := time.Parse(layout, titleWords(s))
		if err2 != nil {
			switch msg := err2.Error(); {
			case strings.Contains(msg, "month out of range"):
				return time.Time{}, fmt.Errorf("%s", errf(1843, "not a valid month").Error())
			case strings.Contains(msg, "day out of range"):
				return time.Time{}, fmt.Errorf("%s", errf(1847, "day of month must be between 1 and last day of month").Error())
			}
			return time.Time{}, fmt.Errorf("%s", errf(1861, "literal does not match format string").Error())
		}
		t = t2
	}
	return t, nil
}

// titleWords capitalizes each ASCII word ("01-MAR-2024" -> "01-Mar-2024"),
// the case Go's time layouts read month and day names in.
func titleWords(s string) string {
	b := []byte(strings.ToLower(s))
	for i := range b {
		if b[i] >= 'a' && b[i] <= 'z' && (i == 0 || !(b[i-1] >= 'a' && b[i-1] <= 'z')) {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

func formatMask(t time.Time, mask string) string {
	layout, err := maskLayout(mask)
	if err != nil {
		return timeText(t, true)
	}
	s := t.Format(layout)
	if strings.Contains(strings.ToUpper(mask), "MON") {
		s = strings.ToUpper(s)
	}
	return s
}

// padFn is LPAD / RPAD: pad (or cut) to n characters with a fill (a space
// by default).
func padFn(left bool) fn {
	return func(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
		if len(a) < 2 || len(a) > 3 {
			return nil, fmt.Errorf("%s", errf(909, "invalid number of arguments").Error())
		}
		if a[0] == nil || a[1] == nil {
			return nil, nil
		}
		f, _, err := num(a[1])
		if err != nil {
			return nil, err
		}
		n := int(f)
		if n <= 0 || n > 32767 {
			return nil, nil
		}
		fill := []rune(" ")
		if len(a) == 3 {
			if a[2] == nil {
				return nil, nil
			}
			fill = []rune(strVal(a[2]))
		}
		r := []rune(strVal(a[0]))
		if len(r) >= n {
			return string(r[:n]), nil
		}
		var p []rune
		for len(p) < n-len(r) {
			p = append(p, fill[len(p)%len(fill)])
		}
		if left {
			return string(p) + string(r), nil
		}
		return string(r) + string(p), nil
	}
}

// instr is INSTR(s, sub[, start]): the 1-based position of sub, or 0.
func instr(_ *sqlite.FunctionContext, a []driver.Value) (driver.Value, error) {
	if len(a) < 2 || len(a) > 3 {
		return nil, fmt.Errorf("%s", errf(909, "invalid number of arguments").Error())
	}
	if a[0] == nil || a[1] == nil {
		return nil, nil
	}
	r, sub := []rune(strVal(a[0])), strVal(a[1])
	start := 1
	if len(a) == 3 {
		f, _, err := num(a[2])
		if err != nil {
			return nil, err
		}
		start = max(int(f), 1)
	}
	if start > len(r) {
		return int64(0), nil
	}
	i := strings.Index(string(r[start-1:]), sub)
	if i < 0 {
		return int64(0), nil
	}
	return int64(start + len([]rune(string(r[start-1:])[:i]))), nil
}
