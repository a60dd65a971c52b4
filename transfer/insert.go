package transfer

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
)

// insertRows writes the rows with INSERT … VALUES statements of up to
// perStmt rows in the transaction tx, placeholders in the target's style:
// the path of targets without a bulk path (SQLite, SQL Server, Redshift,
// MySQL with local_infile off, families without a Load). A failing
// statement fails the load with the rows it carried.
func insertRows(ctx context.Context, tx *sql.Tx, bind registry.PlaceholderStyle, quote func(string) string, t table, cols []registry.LoadColumn, perStmt int, rows registry.LoadRows) (int64, error) {
	ncol := len(cols)
	perStmt = max(perStmt, 1)
	full := insertSQL(bind, quote, t, cols, perStmt)
	var stmt *sql.Stmt
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	args := make([]any, 0, perStmt*ncol)
	vals := make([]any, ncol)
	var n int64
	flush := func(k int) error {
		q := full
		if k < perStmt {
			q = insertSQL(bind, quote, t, cols, k)
		} else if stmt == nil {
			var err error
			if stmt, err = tx.PrepareContext(ctx, full); err != nil {
				return err
			}
		}
		var err error
		if q == full {
			_, err = stmt.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, q, args...)
		}
		if err != nil {
			e := &registry.LoadError{Row: n - int64(k) + 1, Err: err}
			if k > 1 {
				e.Rows = n
			}
			return e
		}
		args = args[:0]
		return nil
	}
	k := 0
	for {
		clear(vals)
		if !rows.Next(vals) {
			if err := rows.Err(); err != nil {
				return n - int64(k), err
			}
			break
		}
		for j, v := range vals {
			args = append(args, insertArg(v, &cols[j]))
		}
		n++
		k++
		if k == perStmt {
			if err := flush(k); err != nil {
				return n - int64(k), err
			}
			k = 0
		}
	}
	if k > 0 {
		if err := flush(k); err != nil {
			return n - int64(k), err
		}
	}
	return n, nil
}

// insertArg is a value as a bind argument: a date or a time of day as its
// text, which every driver passes and every server reads for such a
// column (a time.Time goes as a timestamp).
func insertArg(v any, c *registry.LoadColumn) any {
	t, ok := v.(time.Time)
	switch {
	case !ok:
		return v
	case c.Date:
		return t.Format("2006-01-02")
	case c.Time == coltype.Clock:
		return t.Format("15:04:05.999999")
	}
	return v
}

// insertSQL is INSERT INTO t (columns) VALUES (…), … for rows rows.
func insertSQL(bind registry.PlaceholderStyle, quote func(string) string, t table, cols []registry.LoadColumn, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + t.sql() + " (")
	for j, c := range cols {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(c.Name))
	}
	b.WriteString(") VALUES ")
	p := 0
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			p++
			b.WriteString(bind.Placeholder(p))
		}
		b.WriteByte(')')
	}
	return b.String()
}
