package transfer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
)

// table is a target table's name: an optional schema and a name, each
// either a plain identifier (written as given, so the database folds its
// case as usual) or a quoted one.
type table struct {
	schema, name string // as they go into SQL
	raw          string // as the caller gave it
}

// sql is the table's name in SQL.
func (t table) sql() string {
	if t.schema != "" {
		return t.schema + "." + t.name
	}
	return t.name
}

// parseTable validates a table name: "name" or "schema.name", each part
// a plain identifier (letters, digits, _, $; not starting with a digit or
// $) or quoted with the target's quote ("…", `…` or […]) with no quote
// character inside. Anything else (spaces, semicolons, comments) is
// refused, so a table name cannot carry SQL.
func parseTable(s string) (table, error) {
	bad := func(why string) (table, error) {
		return table{}, fmt.Errorf("table name %q: %s", s, why)
	}
	if s == "" {
		return bad("is empty")
	}
	var parts []string
	rest := s
	for {
		part, r, err := cutPart(rest)
		if err != nil {
			return bad(err.Error())
		}
		parts = append(parts, part)
		if r == "" {
			break
		}
		if r[0] != '.' || len(r) == 1 {
			return bad("must be NAME or SCHEMA.NAME, each a plain or quoted identifier")
		}
		rest = r[1:]
	}
	switch len(parts) {
	case 1:
		return table{name: parts[0], raw: s}, nil
	case 2:
		return table{schema: parts[0], name: parts[1], raw: s}, nil
	}
	return bad("must be NAME or SCHEMA.NAME")
}

// cutPart reads one identifier at the start of s.
func cutPart(s string) (part, rest string, err error) {
	if s == "" {
		return "", "", errors.New("has an empty part")
	}
	if c := s[0]; c == '"' || c == '`' || c == '[' {
		end := byte(c)
		if c == '[' {
			end = ']'
		}
		i := strings.IndexByte(s[1:], end)
		if i < 1 {
			return "", "", errors.New("has an unterminated or empty quoted part")
		}
		q := s[1 : 1+i]
		if strings.ContainsAny(q, "\"`[]\x00") || strings.ContainsFunc(q, isControl) {
			return "", "", errors.New("has a quoted part with a quote or control character inside")
		}
		return s[:i+2], s[i+2:], nil
	}
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] == '$' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9' || s[i] >= 0x80) {
		i++
	}
	if i == 0 {
		return "", "", errors.New("must be NAME or SCHEMA.NAME, each a plain or quoted identifier (letters, digits, _)")
	}
	if c := s[0]; c >= '0' && c <= '9' || c == '$' {
		return "", "", errors.New("has a part starting with a digit or $")
	}
	if strings.ContainsFunc(s[:i], func(r rune) bool { return r == '\uFFFD' || isControl(r) }) {
		return "", "", errors.New("is not valid UTF-8")
	}
	return s[:i], s[i:], nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// unquoted is an identifier part without its quotes.
func unquoted(part string) string {
	if part != "" && (part[0] == '"' || part[0] == '`' || part[0] == '[') {
		return part[1 : len(part)-1]
	}
	return part
}

// queryer is what describing a table needs: a *sql.Conn or a *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// describeTable reads the target table's columns with a query that
// returns no rows; it fails when the table does not exist.
func describeTable(ctx context.Context, q queryer, typ *registry.Type, t table) ([]registry.LoadColumn, error) {
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+t.sql()+" WHERE 1=0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	infos := make([]coltype.Info, len(cts))
	for j, ct := range cts {
		infos[j] = coltype.NewInfo(ct.DatabaseTypeName())
		if l, ok := ct.Length(); ok {
			infos[j].Length = l
		}
		if p, s, ok := ct.DecimalSize(); ok {
			infos[j].Precision, infos[j].Scale = p, s
		}
	}
	if typ != nil && typ.DescribeColumns != nil {
		typ.DescribeColumns(rows, infos)
	}
	cols := make([]registry.LoadColumn, len(cts))
	for j, ct := range cts {
		cols[j] = loadColumn(typ, ct.Name(), infos[j], coltype.Null)
	}
	for rows.Next() {
	}
	return cols, rows.Err()
}

// loadColumn classifies a column with its connection's type; kind, when
// not Null, is what the rows said (a source column's final kind).
func loadColumn(typ *registry.Type, name string, info coltype.Info, kind coltype.Kind) registry.LoadColumn {
	spec := typ.Classify(info)
	if kind == coltype.Null {
		kind = spec.Kind
	}
	base, _ := coltype.Split(info.Name)
	return registry.LoadColumn{Name: name, Kind: kind, Time: spec.Time, Date: kind == coltype.Time && base == "DATE", Type: info}
}
