package dbsqlpeer

import (
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
)

// bindParameters turns the statement's TSparkParameters into database/sql
// arguments for SQLite: a named parameter binds :name, an unnamed one the
// next ?. Values arrive as text with a Spark type name; they are bound with
// the SQLite storage that type has (BOOLEAN as 0/1, DATE and TIMESTAMP as
// canonical UTC text, so they compare equal to stored values).
func bindParameters(params []*tcli.TSparkParameter) ([]any, error) {
	if len(params) == 0 {
		return nil, nil
	}
	ordered := append([]*tcli.TSparkParameter(nil), params...)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].GetOrdinal() < ordered[j].GetOrdinal() })
	args := make([]any, 0, len(ordered))
	for i, p := range ordered {
		v, err := parameterValue(p)
		if err != nil {
			return nil, fmt.Errorf("parameter %d: %w", i+1, err)
		}
		if p.IsSetName() && p.GetName() != "" {
			args = append(args, sql.Named(p.GetName(), v))
		} else {
			args = append(args, v)
		}
	}
	return args, nil
}

func parameterValue(p *tcli.TSparkParameter) (any, error) {
	val := p.GetValue()
	typ := strings.ToUpper(strings.TrimSpace(p.GetType()))
	if val == nil || typ == "VOID" || typ == "NULL" {
		return nil, nil
	}
	switch {
	case val.IsSetDoubleValue():
		return val.GetDoubleValue(), nil
	case val.IsSetBooleanValue():
		return boolInt(val.GetBooleanValue()), nil
	case !val.IsSetStringValue():
		return nil, nil
	}
	text := val.GetStringValue()
	if typ == "" {
		typ = "STRING"
	}
	if typ == "INTEGER" {
		typ = "INT"
	}
	t, ok := parseSparkType(typ)
	if !ok {
		return text, nil // INTERVAL and others: bound as text
	}
	switch t.id {
	case tcli.TTypeId_TINYINT_TYPE, tcli.TTypeId_SMALLINT_TYPE, tcli.TTypeId_INT_TYPE, tcli.TTypeId_BIGINT_TYPE:
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s value is not an integer", t)
		}
		return n, nil
	case tcli.TTypeId_FLOAT_TYPE, tcli.TTypeId_DOUBLE_TYPE:
		f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil {
			return nil, fmt.Errorf("%s value is not a number", t)
		}
		return f, nil
	case tcli.TTypeId_DECIMAL_TYPE:
		s := strings.TrimSpace(text)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("%s value is not a number", t)
		}
		return f, nil
	case tcli.TTypeId_BOOLEAN_TYPE:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return nil, fmt.Errorf("BOOLEAN value is not true or false")
		}
		return boolInt(b), nil
	case tcli.TTypeId_DATE_TYPE, tcli.TTypeId_TIMESTAMP_TYPE:
		tm, ok := parseTime(text)
		if !ok {
			return nil, fmt.Errorf("%s value is not a date or timestamp", t)
		}
		if t.id == tcli.TTypeId_DATE_TYPE {
			return tm.Format(dateLayout), nil
		}
		return tm.Format(timestampLayout), nil
	}
	return text, nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
