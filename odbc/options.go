package odbc

import "github.com/vapsql/vap/store"

// DefaultMaxBytes is the byte limit of a call that sets none: 1 GiB of
// column data. MaxBytes(0) removes it.
const DefaultMaxBytes = 1 << 30

// batchRows is how many rows Stream decodes at a time.
const batchRows = 1024

// Option configures a Client (New) or a single call: options may also be
// passed among the query arguments, where they are taken out before the
// query runs (as pgx does with its QueryExecMode):
//
//	rows, err := odbc.OdbcToRows(ctx, "SELECT * FROM t WHERE a > $1", "pg", odbc.MaxRows(1000), 42)
type Option func(*config)

type config struct {
	store    *store.Store
	maxRows  int64 // 0: none
	maxBytes int64 // 0: none
	generic  bool  // force the database/sql path (benchmarks, tests)
	prepare  bool  // raw path: always a prepared statement (benchmarks)
	summary  *Summary
}

// WithStore resolves connection names in st instead of the environment's
// default store.
func WithStore(st *store.Store) Option { return func(c *config) { c.store = st } }

// MaxRows fails a result with more than n rows with a *LimitError
// (LimitRows). n <= 0 means no limit (the default). For Stream it bounds the
// rows yielded.
func MaxRows(n int64) Option {
	return func(c *config) { c.maxRows = max(n, 0) }
}

// MaxBytes fails a result whose column data would exceed n bytes with a
// *LimitError (LimitBytes). Values count their stored size: 8 bytes per
// number, 24 per time, 1 per bool, 8 plus the length per string, decimal or
// byte slice. n <= 0 means no limit; the default is DefaultMaxBytes. Stream
// counts the bytes decoded in total.
func MaxBytes(n int64) Option {
	return func(c *config) { c.maxBytes = max(n, 0) }
}

func defaultConfig() config { return config{maxBytes: DefaultMaxBytes} }

// splitArgs takes the Options out of args.
func splitArgs(cfg config, args []any) (config, []any) {
	n := 0
	for _, a := range args {
		if _, ok := a.(Option); ok {
			n++
		}
	}
	if n == 0 {
		return cfg, args
	}
	rest := make([]any, 0, len(args)-n)
	for _, a := range args {
		if o, ok := a.(Option); ok {
			o(&cfg)
			continue
		}
		rest = append(rest, a)
	}
	return cfg, rest
}
