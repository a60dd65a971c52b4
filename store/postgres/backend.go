package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vapsql/vap/internal/redact"
	"github.com/vapsql/vap/store/backend"
)

func init() {
	backend.Register(func(ctx context.Context, u *url.URL) (backend.Backend, error) {
		return Open(ctx, u.String())
	}, "postgres", "postgresql")
}

// DefaultSchema is the PostgreSQL schema of a store URL without a schema
// parameter.
const DefaultSchema = "vap"

// Backend is a backend.Backend on one schema of a PostgreSQL database. It is
// safe for concurrent use by many goroutines and many processes.
type Backend struct {
	pool    *pgxpool.Pool
	schema  string
	table   string // quoted schema.vap_connections
	tombs   string // quoted schema.vap_tombstones
	listen  *pgx.ConnConfig
	secrets []string      // the URL's passwords (userinfo, password, sslpassword), scrubbed from errors
	watch   string        // WatchListen, WatchPoll or WatchNone
	every   time.Duration // the poll_interval of WatchPoll
	known   knownVersions // versions a LISTEN watch read right after a notification
}

// idleTimeout is how long the store's pool keeps an idle connection.
var idleTimeout = time.Second

var (
	_ backend.Backend = (*Backend)(nil)
	_ backend.Watcher = (*Backend)(nil)
)

// Open connects to the store at rawURL (postgres://…, with an optional
// schema parameter, default DefaultSchema), creating or migrating the
// schema. Errors never repeat the URL or its password.
func Open(ctx context.Context, rawURL string) (*Backend, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("store/postgres: the store URL is not a valid URL")
	}
	var secrets []string
	if p, ok := u.User.Password(); ok {
		secrets = append(secrets, p)
	}
	q := u.Query()
	for k, vs := range q {
		if k := strings.ToLower(k); k == "password" || k == "sslpassword" {
			secrets = append(secrets, vs...)
		}
	}
	schema := q.Get("schema")
	if schema == "" {
		schema = DefaultSchema
	}
	q.Del("schema")
	mode := q.Get("watch")
	q.Del("watch")
	switch mode {
	case "":
		mode = WatchListen
	case WatchListen, WatchPoll, WatchNone:
	default:
		return nil, fmt.Errorf("store/postgres: watch=%q in the store URL: want %s, %s or %s", mode, WatchListen, WatchPoll, WatchNone)
	}
	every := PollInterval
	if p := q.Get("poll_interval"); p != "" {
		d, err := time.ParseDuration(p)
		if err != nil || d < 100*time.Millisecond || d > time.Hour {
			return nil, fmt.Errorf("store/postgres: poll_interval=%q in the store URL: want a duration from 100ms to 1h, such as 1s", p)
		}
		every = d
	}
	q.Del("poll_interval")
	u.RawQuery = q.Encode()
	cfg, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		// pgx's message can quote the connection string: say only what is wrong.
		return nil, errors.New("store/postgres: the store URL is not a valid PostgreSQL connection URL")
	}
	cfg.MaxConns = 4
	// Hold no idle connection: a process that resolved its names gives its
	// store connection back within a second or two, so the number of store
	// connections follows the work in flight, not the number of processes.
	cfg.MinConns = 0
	cfg.MaxConnIdleTime = idleTimeout
	cfg.HealthCheckPeriod = idleTimeout / 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, redact.Error(fmt.Errorf("store/postgres: %w", err), secrets...)
	}
	b := &Backend{
		pool:    pool,
		schema:  schema,
		table:   pgx.Identifier{schema, "vap_connections"}.Sanitize(),
		tombs:   pgx.Identifier{schema, "vap_tombstones"}.Sanitize(),
		listen:  cfg.ConnConfig.Copy(),
		secrets: secrets,
		watch:   mode,
		every:   every,
	}
	// Name the listening session so operators (and tests) can find it in
	// pg_stat_activity.
	b.listen.RuntimeParams["application_name"] = WatchApplicationName(schema)
	if err := migrate(ctx, pool, schema); err != nil {
		pool.Close()
		return nil, b.scrub(classify(err))
	}
	return b, nil
}

// Schema returns the PostgreSQL schema holding the store.
func (b *Backend) Schema() string { return b.schema }

func (b *Backend) scrub(err error) error {
	if err == nil || len(b.secrets) == 0 {
		return err
	}
	return redact.Error(err, b.secrets...)
}

func (b *Backend) fail(op string, err error) error {
	return b.scrub(classify(fmt.Errorf("store/postgres: %s: %w", op, err)))
}

// classify marks the errors of a store that could not be reached or turned
// the connection away as backend.ErrUnavailable: the connection failed or
// broke, too many clients (53300), the server is starting or shutting down
// (57P01-57P03), a connection exception (class 08).
func classify(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		if pe.Code == "53300" || strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" {
			return backend.Unavailable(err)
		}
		return err
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
		return backend.Unavailable(err)
	}
	return err
}

const selectCols = `SELECT name, type, fields, version, created_at, updated_at FROM `

func scanRecord(row pgx.Row) (*backend.Record, error) {
	var r backend.Record
	var name []byte
	var fields string
	if err := row.Scan(&name, &r.Type, &fields, &r.Version, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return nil, err
	}
	r.Name = string(name)
	if err := json.Unmarshal([]byte(fields), &r.Fields); err != nil {
		return nil, fmt.Errorf("store/postgres: connection %q: corrupt fields column", r.Name)
	}
	return &r, nil
}

// Get implements backend.Backend.
func (b *Backend) Get(ctx context.Context, name string) (*backend.Record, error) {
	r, err := scanRecord(b.pool.QueryRow(ctx, selectCols+b.table+` WHERE name = $1`, []byte(name)))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, backend.NotFound(name)
	}
	if err != nil {
		return nil, b.fail("get", err)
	}
	return r, nil
}

// Version implements backend.Backend. Right after a LISTEN watch reported
// a change of name, it answers with the version the watch read on its own
// session, without a connection from the pool (see knownVersions).
func (b *Backend) Version(ctx context.Context, name string) (int64, error) {
	if v, ok := b.known.get(name); ok {
		return v, nil
	}
	var v int64
	err := b.pool.QueryRow(ctx, `SELECT version FROM `+b.table+` WHERE name = $1`, []byte(name)).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, backend.NotFound(name)
	}
	if err != nil {
		return 0, b.fail("version", err)
	}
	return v, nil
}

// List implements backend.Backend. Names sort by their bytes.
func (b *Backend) List(ctx context.Context) ([]*backend.Record, error) {
	rows, err := b.pool.Query(ctx, selectCols+b.table+` ORDER BY name`)
	if err != nil {
		return nil, b.fail("list", err)
	}
	defer rows.Close()
	var out []*backend.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, b.fail("list", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, b.fail("list", err)
	}
	return out, nil
}

// lockName locks name's tombstone row (creating it at version 0) for the
// rest of tx, and returns the last version a deleted record of that name
// had.
func (b *Backend) lockName(ctx context.Context, tx pgx.Tx, name string) (int64, error) {
	var last int64
	err := tx.QueryRow(ctx, `INSERT INTO `+b.tombs+` (name, version) VALUES ($1, 0)
		ON CONFLICT (name) DO UPDATE SET version = `+b.tombs+`.version RETURNING version`, []byte(name)).Scan(&last)
	return last, err
}

// Insert implements backend.Backend. A name deleted before continues one above
// its last version.
func (b *Backend) Insert(ctx context.Context, r *backend.Record) error {
	fields, err := json.Marshal(r.Fields)
	if err != nil {
		return err
	}
	tx, err := b.pool.Begin(ctx)
	if err != nil {
		return b.fail("insert", err)
	}
	defer tx.Rollback(ctx)
	last, err := b.lockName(ctx, tx, r.Name)
	if err != nil {
		return b.fail("insert", err)
	}
	var v int64
	err = tx.QueryRow(ctx, `INSERT INTO `+b.table+` (name, type, fields, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, now(), now()) ON CONFLICT (name) DO NOTHING RETURNING version`,
		[]byte(r.Name), r.Type, string(fields), last+1).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return backend.ErrExists
	}
	if err != nil {
		return b.fail("insert", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return b.fail("insert", err)
	}
	r.Version = v
	return nil
}

// Update implements backend.Backend: a compare-and-swap on the version.
func (b *Backend) Update(ctx context.Context, r *backend.Record) error {
	fields, err := json.Marshal(r.Fields)
	if err != nil {
		return err
	}
	var updated *int64
	var exists bool
	err = b.pool.QueryRow(ctx, `WITH u AS (
			UPDATE `+b.table+` SET type = $2, fields = $3, version = version + 1, updated_at = now()
			WHERE name = $1 AND version = $4 RETURNING version)
		SELECT (SELECT version FROM u), EXISTS (SELECT 1 FROM `+b.table+` WHERE name = $1)`,
		[]byte(r.Name), r.Type, string(fields), r.Version).Scan(&updated, &exists)
	switch {
	case err != nil:
		return b.fail("update", err)
	case updated != nil:
		return nil
	case !exists:
		return backend.NotFound(r.Name)
	default:
		return backend.ErrConflict
	}
}

// Delete implements backend.Backend. It keeps the record's last version in
// its tombstone, in the same transaction, for Insert to continue from.
func (b *Backend) Delete(ctx context.Context, name string) error {
	tx, err := b.pool.Begin(ctx)
	if err != nil {
		return b.fail("delete", err)
	}
	defer tx.Rollback(ctx)
	if _, err := b.lockName(ctx, tx, name); err != nil {
		return b.fail("delete", err)
	}
	var v int64
	err = tx.QueryRow(ctx, `DELETE FROM `+b.table+` WHERE name = $1 RETURNING version`, []byte(name)).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return backend.NotFound(name)
	}
	if err != nil {
		return b.fail("delete", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE `+b.tombs+` SET version = greatest(version, $2) WHERE name = $1`, []byte(name), v); err != nil {
		return b.fail("delete", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return b.fail("delete", err)
	}
	return nil
}

// ReplaceAll implements backend.Backend. It locks the table against other
// writers (readers go on) for the length of the transaction.
func (b *Backend) ReplaceAll(ctx context.Context, fn func(*backend.Record) (*backend.Record, error)) error {
	tx, err := b.pool.Begin(ctx)
	if err != nil {
		return b.fail("replace", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE `+b.table+` IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return b.fail("replace", err)
	}
	rows, err := tx.Query(ctx, selectCols+b.table+` ORDER BY name`)
	if err != nil {
		return b.fail("replace", err)
	}
	var all []*backend.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			rows.Close()
			return b.fail("replace", err)
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return b.fail("replace", err)
	}
	for _, r := range all {
		nr, err := fn(r)
		if err != nil {
			return err
		}
		fields, err := json.Marshal(nr.Fields)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE `+b.table+` SET fields = $2, version = version + 1, updated_at = now() WHERE name = $1`,
			[]byte(r.Name), string(fields)); err != nil {
			return b.fail("replace", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return b.fail("replace", err)
	}
	return nil
}

// Close implements backend.Backend.
func (b *Backend) Close() error {
	b.pool.Close()
	return nil
}
