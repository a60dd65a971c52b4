package mysql

import (
	"context"
	"database/sql"
	"strconv"
	"time"
)

// Cancel stops a MySQL statement on the server when ctx ends: the driver
// only closes its socket, and the server runs on until it next writes. It
// sends KILL QUERY for conn's session from another connection of db. The
// returned end detaches it and reports whether KILL QUERY was sent, in
// which case conn must not be reused (a late KILL could hit its next
// statement). It returns nil when conn's session id cannot be read.
func Cancel(ctx context.Context, db *sql.DB, conn *sql.Conn) (end func() bool) {
	var id int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil || id <= 0 {
		return nil
	}
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(done)
		kctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		db.ExecContext(kctx, "KILL QUERY "+strconv.FormatInt(id, 10)) // best effort
	})
	return func() bool {
		if stop() {
			return false
		}
		<-done
		return true
	}
}
