package odbc

import (
	"context"
	"database/sql"
	"errors"
	"iter"

	"github.com/vapsql/vap/registry"
)

// StreamBatches runs query on the vap connection named connName and yields
// its rows in batches; see Client.StreamBatches.
func StreamBatches(ctx context.Context, query, connName string, args ...any) iter.Seq2[*Rows, error] {
	return defaultClient.StreamBatches(ctx, query, connName, args...)
}

// StreamBatches is Stream by column: it yields the result in batches of
// about a thousand rows, each a *Rows with the typed accessors, valid
// until the next iteration (its storage is reused). A statement that has
// a result set yields at least one batch, empty when it has no rows, so its
// columns are known; a statement without one (INSERT) yields nothing.
// Memory does not grow with the result; breaking out of the loop stops the
// query on the server. MaxRows and MaxBytes count the whole stream.
func (c *Client) StreamBatches(ctx context.Context, query, connName string, args ...any) iter.Seq2[*Rows, error] {
	cfg, args := splitArgs(c.cfg, args)
	return func(yield func(*Rows, error) bool) {
		p, err := c.pool(connName, cfg.store)
		if err != nil {
			yield(nil, err)
			return
		}
		streamBatches(ctx, p.db, p.conn.Type(), cfg, query, args, yield)
	}
}

// StreamBatchesDB is StreamBatches on db, any *sql.DB.
func StreamBatchesDB(ctx context.Context, db *sql.DB, query string, args ...any) iter.Seq2[*Rows, error] {
	cfg, args := splitArgs(defaultConfig(), args)
	return func(yield func(*Rows, error) bool) { streamBatches(ctx, db, nil, cfg, query, args, yield) }
}

func streamBatches(ctx context.Context, db *sql.DB, typ *registry.Type, cfg config, query string, args []any, yield func(*Rows, error) bool) {
	b := &builder{cfg: cfg}
	emitted := false
	b.emit = func(r *Rows) bool {
		emitted = true
		return yield(r, nil)
	}
	err := run(ctx, db, typ, query, args, b)
	switch {
	case err != nil && !errors.Is(err, errStop):
		yield(nil, err)
	case err == nil && !emitted && b.rows != nil && len(b.rows.cols) > 0:
		yield(b.rows, nil) // a result without rows: its columns
	}
}
