package sqlite

import (
	"context"
	"time"

	"github.com/vapsql/vap/store/backend"
)

// PollInterval is how often Watch reads PRAGMA data_version. A commit by
// any other connection or process is reported within about this long.
var PollInterval = 100 * time.Millisecond

var _ backend.Watcher = (*Backend)(nil)

// Watch implements backend.Watcher. It holds one connection and reads PRAGMA
// data_version on it every PollInterval: SQLite changes that number whenever
// another connection (in this process or another) commits to the file, and
// reading it touches only the shared WAL index, not the tables. Every change
// is reported as "" (any record may have changed). An in-memory store cannot
// be changed by anyone else: it returns backend.ErrWatchUnsupported.
func (b *Backend) Watch(ctx context.Context) (<-chan string, error) {
	if b.memory {
		return nil, backend.ErrWatchUnsupported
	}
	conn, err := b.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var last int64
	if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&last); err != nil {
		conn.Close()
		return nil, err
	}
	ch := make(chan string, 1)
	go func() {
		defer close(ch)
		defer conn.Close()
		t := time.NewTicker(PollInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var v int64
			if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
				return
			}
			if v == last {
				continue
			}
			last = v
			select {
			case ch <- "":
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}
