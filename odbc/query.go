package odbc

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/vapsql/vap/registry"
)

// queryRows materializes a result.
func queryRows(ctx context.Context, db *sql.DB, typ *registry.Type, cfg config, query string, args []any) (*Rows, error) {
	b := &builder{cfg: cfg}
	if err := run(ctx, db, typ, query, args, b); err != nil {
		return nil, err
	}
	return b.rows, nil
}

// streamRows yields a result row by row.
func streamRows(ctx context.Context, db *sql.DB, typ *registry.Type, cfg config, query string, args []any, yield func(Row, error) bool) {
	b := &builder{cfg: cfg}
	b.emit = func(r *Rows) bool {
		for i := range r.n {
			if !yield(Row{rows: r, i: i}, nil) {
				return false
			}
		}
		return true
	}
	if err := run(ctx, db, typ, query, args, b); err != nil && !errors.Is(err, errStop) {
		yield(Row{}, err)
	}
}

// run runs query on one connection of db: on pgx, the native fast path;
// elsewhere the real driver's rows read directly (rawQuery), or
// database/sql when forced (config.generic). typ is the connection's type, which classifies
// its columns and cancels its statements; nil (a *sql.DB vap did not open)
// means the type whose real driver the connection belongs to, if any.
func run(ctx context.Context, db *sql.DB, typ *registry.Type, query string, args []any, b *builder) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	done, raw := false, false
	err = conn.Raw(func(dc any) error {
		dc = realConn(dc)
		if sc, ok := dc.(*stdlib.Conn); ok && !b.cfg.generic {
			done = true
			return pgxQuery(ctx, sc.Conn(), query, args, b)
		}
		if typ == nil {
			typ = registry.Default.ForDriver(dc)
		}
		raw = !b.cfg.generic && rawUsable(dc)
		return nil
	})
	if done || err != nil {
		return err
	}
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var end func() bool
	if typ != nil && typ.Cancel != nil {
		end = typ.Cancel(qctx, db, conn)
	}
	if raw {
		err = rawQuery(qctx, cancel, conn, typ, query, args, b.cfg.prepare, b)
	}
	if !raw || errors.Is(err, errNoRaw) { // errNoRaw: nothing ran
		err = genericQuery(qctx, cancel, conn, typ, query, args, b)
	}
	if errors.Is(err, errStop) {
		err = nil
	}
	if end != nil && end() {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // drop the connection
	}
	return err
}

// realConn returns the real driver's connection behind dc: vap returns it
// unwrapped, except when its credential bounds its life (stdlib's
// limitedConn), which hands it out through Unwrap.
func realConn(dc any) any {
	if u, ok := dc.(interface{ Unwrap() driver.Conn }); ok {
		return u.Unwrap()
	}
	return dc
}
