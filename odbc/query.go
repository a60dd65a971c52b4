package odbc

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

	"github.com/jackc/pgx/v5/stdlib"
)

// queryRows materializes a result.
func queryRows(ctx context.Context, db *sql.DB, cfg config, query string, args []any) (*Rows, error) {
	b := &builder{cfg: cfg}
	if err := run(ctx, db, query, args, b); err != nil {
		return nil, err
	}
	return b.rows, nil
}

// streamRows yields a result row by row.
func streamRows(ctx context.Context, db *sql.DB, cfg config, query string, args []any, yield func(Row, error) bool) {
	b := &builder{cfg: cfg}
	b.emit = func(r *Rows) bool {
		for i := range r.n {
			if !yield(Row{rows: r, i: i}, nil) {
				return false
			}
		}
		return true
	}
	if err := run(ctx, db, query, args, b); err != nil && !errors.Is(err, errStop) {
		yield(Row{}, err)
	}
}

// run runs query on one connection of db: on pgx, the native fast path;
// elsewhere database/sql.
func run(ctx context.Context, db *sql.DB, query string, args []any, b *builder) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	fam, done := famUnknown, false
	err = conn.Raw(func(dc any) error {
		if sc, ok := dc.(*stdlib.Conn); ok && !b.cfg.generic {
			done = true
			return pgxQuery(ctx, sc.Conn(), query, args, b)
		}
		fam = familyOf(dc)
		return nil
	})
	if done || err != nil {
		return err
	}
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var killer *mysqlKiller
	if fam == famMySQL {
		killer = startMySQLKiller(qctx, db, conn)
	}
	err = genericQuery(qctx, cancel, conn, fam, query, args, b)
	if errors.Is(err, errStop) {
		err = nil
	}
	if killer.end() {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // drop the connection
	}
	return err
}
