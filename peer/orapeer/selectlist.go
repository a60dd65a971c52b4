package orapeer

// The select list: Oracle types and column names of items SQLite cannot
// declare.

import (
	"strings"
)

// selectHints reads the Oracle type of top-level SELECT items whose type
// SQLite cannot declare (casts, Oracle functions, literals).
func selectHints(ts []tok) ([]colType, []string) {
	// the last top-level SELECT ... FROM of the outermost query
	start := -1
	depth := 0
	for i, t := range ts {
		if t.punct("(") {
			depth++
		} else if t.punct(")") {
			depth--
		} else if depth == 0 && t.is("SELECT") {
			start = i + 1
		}
	}
	if start < 0 {
		return nil, nil
	}
	if start < len(ts) && (ts[start].is("DISTINCT") || ts[start].is("ALL")) {
		start++
	}
	var hints []colType
	var names []string
	depth = 0
	itemStart := start
	for i := start; i <= len(ts); i++ {
		atEnd := i == len(ts) || (depth == 0 && (ts[i].is("FROM") || ts[i].punct(",")))
		if i < len(ts) && !atEnd {
			if ts[i].punct("(") {
				depth++
			} else if ts[i].punct(")") {
				depth--
			}
			continue
		}
		hints = append(hints, itemType(ts[itemStart:i]))
		names = append(names, itemName(ts[itemStart:i]))
		if i == len(ts) || ts[i].is("FROM") {
			break
		}
		itemStart = i + 1
	}
	return hints, names
}

// itemName is the column name Oracle gives an expression item without an
// alias: its text, upper case, without spaces. "" leaves SQLite's name
// (plain columns, aliases, *).
func itemName(item []tok) string {
	if len(item) == 0 {
		return ""
	}
	last := item[len(item)-1]
	if len(item) == 1 && last.kind == tkWord {
		if u := strings.ToUpper(last.text); oracleWords[u] != "" || u == "USER" {
			return u // a pseudo-column the peer rewrites
		}
	}
	if len(item) == 1 && (last.kind == tkWord || last.kind == tkQuoted || last.punct("*")) {
		return ""
	}
	if len(item) == 3 && item[1].punct(".") {
		if item[2].is("NEXTVAL") || item[2].is("CURRVAL") {
			return strings.ToUpper(item[2].text)
		}
		return "" // t.col, t.*
	}
	if (last.kind == tkWord || last.kind == tkQuoted) && !last.is("END") && !last.is("NULL") && len(item) >= 2 {
		prev := item[len(item)-2]
		if !prev.punct(".") && (prev.kind != tkPunct || prev.punct(")")) {
			return "" // an alias
		}
	}
	var b strings.Builder
	for _, t := range item {
		if t.kind == tkQuoted {
			b.WriteString(t.text[1 : len(t.text)-min(1, len(t.text)-1)])
		} else {
			b.WriteString(strings.ToUpper(t.text))
		}
	}
	return b.String()
}

// itemType is the type of one select item, or a zero colType if unknown.
func itemType(item []tok) colType {
	if len(item) == 0 {
		return colType{}
	}
	if (item[0].punct("-") || item[0].punct("+")) && len(item) > 1 {
		return itemType(item[1:])
	}
	t := item[0]
	u := strings.ToUpper(t.text)
	call := len(item) > 1 && item[1].punct("(")
	switch {
	case t.kind == tkNumber:
		return typNumber
	case t.kind == tkString:
		c := typVarchar
		c.ora, c.name, c.size = oraChar, "CHAR", max(1, len(unquote(t.text)))
		return c
	case u == "CAST" && call:
		end := closing(item, 1)
		if end > 0 {
			if as := lastTopLevel(item, 2, end, "AS"); as > 0 {
				var words []string
				for _, w := range item[as+1 : end] {
					words = append(words, w.text)
				}
				if c, ok := parseDeclType(strings.Join(words, " ")); ok {
					if c.name == "NUMBER" && c.precision == 0 {
						c = typNumber
					}
					return c
				}
			}
		}
	case u == "SYSDATE" || u == "CURRENT_DATE" || ((u == "TO_DATE" || u == "ADD_MONTHS") && call):
		return typDate
	case u == "SYSTIMESTAMP" || u == "CURRENT_TIMESTAMP" || (u == "TO_TIMESTAMP_TZ" && call):
		return typTSTZ
	case u == "LOCALTIMESTAMP" || (u == "TO_TIMESTAMP" && call):
		return typTimestamp
	case u == "BINARY_DOUBLE_NAN" || u == "BINARY_DOUBLE_INFINITY" || (u == "TO_BINARY_DOUBLE" && call):
		return typDouble
	case len(item) == 3 && item[1].punct(".") && (item[2].is("NEXTVAL") || item[2].is("CURRVAL")):
		return typNumber
	case u == "LEVEL" || u == "ROWNUM" || (call && (u == "COUNT" || u == "TO_NUMBER" || u == "LENGTH" || u == "MOD" || u == "ROUND" || u == "FLOOR" || u == "CEIL" || u == "ABS" || u == "POWER" || u == "SQRT" || u == "SUM" || u == "AVG" || u == "INSTR")):
		if len(item) == 1 || call {
			return typNumber
		}
	case call && (u == "TO_CHAR" || u == "UPPER" || u == "LOWER" || u == "SUBSTR" || u == "CONCAT" || u == "TRIM" || u == "LTRIM" || u == "RTRIM" || u == "REPLACE" || u == "RAWTOHEX" || u == "LPAD" || u == "RPAD"):
		return typVarchar
	case u == "SYS_CONTEXT" && call, u == "USER" && len(item) <= 3:
		return typVarchar
	case call && u == "HEXTORAW":
		return typRaw
	}
	return colType{}
}
