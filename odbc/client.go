package odbc

import (
	"context"
	"database/sql"
	"errors"
	"iter"
	"sync"

	vapdriver "github.com/vapsql/vap/driver"
	"github.com/vapsql/vap/store"
)

// Client runs queries on named vap connections, keeping one *sql.DB (a
// connection pool) per name. Its options are the defaults of every call.
// It is safe for concurrent use.
type Client struct {
	cfg config

	mu  sync.Mutex
	dbs map[dbKey]pool
}

// pool is one named connection's *sql.DB and its connector, which knows the
// connection's type.
type pool struct {
	db   *sql.DB
	conn *vapdriver.Connector
}

type dbKey struct {
	st   *store.Store
	name string
}

// New returns a Client with opts as its defaults.
func New(opts ...Option) *Client {
	c := &Client{cfg: defaultConfig(), dbs: make(map[dbKey]pool)}
	for _, o := range opts {
		o(&c.cfg)
	}
	return c
}

var defaultClient = New()

// OdbcToRows runs query on the vap connection named connName and returns
// the whole result. args are the query's arguments, in the backend's
// placeholder style ($1 on PostgreSQL, ? on MySQL and SQLite); Options among
// them apply to this call. A name missing from the store fails with the
// store's missing-name error (errors.Is(err, store.ErrNotFound)).
//
// It uses the environment's default store and the default limits; New
// makes a Client with others.
func OdbcToRows(ctx context.Context, query, connName string, args ...any) (*Rows, error) {
	return defaultClient.OdbcToRows(ctx, query, connName, args...)
}

// Stream runs query on the vap connection named connName and yields its
// rows one by one, in constant memory; see Client.Stream.
func Stream(ctx context.Context, query, connName string, args ...any) iter.Seq2[Row, error] {
	return defaultClient.Stream(ctx, query, connName, args...)
}

// OdbcToRows is the package's OdbcToRows with the Client's options.
func (c *Client) OdbcToRows(ctx context.Context, query, connName string, args ...any) (*Rows, error) {
	cfg, args := splitArgs(c.cfg, args)
	p, err := c.pool(connName, cfg.store)
	if err != nil {
		return nil, err
	}
	return queryRows(ctx, p.db, p.conn.Type(), cfg, query, args)
}

// Stream runs query on the connection named connName and yields each row,
// or a single error (then stops). Rows are decoded in batches of a thousand
// and the memory used does not grow with the result. A yielded Row is valid
// until the next iteration. Breaking out of the loop stops the query on the
// server. MaxRows and MaxBytes count the whole stream.
func (c *Client) Stream(ctx context.Context, query, connName string, args ...any) iter.Seq2[Row, error] {
	cfg, args := splitArgs(c.cfg, args)
	return func(yield func(Row, error) bool) {
		p, err := c.pool(connName, cfg.store)
		if err != nil {
			yield(Row{}, err)
			return
		}
		streamRows(ctx, p.db, p.conn.Type(), cfg, query, args, yield)
	}
}

// DB returns the pool of the connection named name, opening it on first
// use: through st when it is not nil, else through the Client's store
// (WithStore) or the environment's default store.
func (c *Client) DB(name string, st *store.Store) (*sql.DB, error) {
	p, err := c.pool(name, st)
	return p.db, err
}

// pool returns the pool of the connection named name, opening it on first
// use; see DB.
func (c *Client) pool(name string, st *store.Store) (pool, error) {
	if st == nil {
		st = c.cfg.store
	}
	k := dbKey{st: st, name: name}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.dbs[k]; ok {
		return p, nil
	}
	var opts []vapdriver.Option
	if st != nil {
		opts = append(opts, vapdriver.WithStore(st))
	}
	conn, err := vapdriver.NewConnector(name, opts...)
	if err != nil {
		return pool{}, err
	}
	p := pool{db: sql.OpenDB(conn), conn: conn}
	c.dbs[k] = p
	return p, nil
}

// Close closes the Client's pools.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for k, p := range c.dbs {
		errs = append(errs, p.db.Close())
		delete(c.dbs, k)
	}
	return errors.Join(errs...)
}

// OdbcToRowsDB runs query on db, any *sql.DB (vap or a real driver), and
// returns the whole result. Options among args apply (WithStore does not).
func OdbcToRowsDB(ctx context.Context, db *sql.DB, query string, args ...any) (*Rows, error) {
	cfg, args := splitArgs(defaultConfig(), args)
	return queryRows(ctx, db, nil, cfg, query, args)
}

// StreamDB is Stream on db, any *sql.DB.
func StreamDB(ctx context.Context, db *sql.DB, query string, args ...any) iter.Seq2[Row, error] {
	cfg, args := splitArgs(defaultConfig(), args)
	return func(yield func(Row, error) bool) { streamRows(ctx, db, nil, cfg, query, args, yield) }
}
