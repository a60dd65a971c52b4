package odbc

import (
	"context"
	"database/sql"
	"reflect"
	"strconv"
	"time"
)

// mysqlLengths returns the display length of each column of a
// go-sql-driver/mysql result, which tells TINYINT(1) (MySQL's BOOLEAN) from
// TINYINT. The driver keeps it unexported (its ColumnTypeLength is commented
// out), so it is read by reflection; if the driver's layout changes the
// lengths are unknown (nil) and TINYINT(1) reads as an integer.
func mysqlLengths(rows *sql.Rows, n int) (out []int64) {
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	v := reflect.ValueOf(rows).Elem().FieldByName("rowsi")
	for v.IsValid() && (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) {
		v = v.Elem()
	}
	if !v.IsValid() || v.Kind() != reflect.Struct {
		return nil
	}
	cols := v.FieldByName("rs")
	if !cols.IsValid() {
		return nil
	}
	cols = cols.FieldByName("columns")
	if !cols.IsValid() || cols.Kind() != reflect.Slice || cols.Len() != n {
		return nil
	}
	out = make([]int64, n)
	for i := range n {
		l := cols.Index(i).FieldByName("length")
		if !l.IsValid() || !l.CanUint() {
			return nil
		}
		out[i] = int64(l.Uint())
	}
	return out
}

// mysqlKiller stops a MySQL query on the server when its context ends: the
// driver only closes its socket, and the server runs on until it next
// writes. It sends KILL QUERY on another connection of db.
type mysqlKiller struct {
	stop  func() bool
	done  chan struct{}
	fired bool
}

func startMySQLKiller(ctx context.Context, db *sql.DB, conn *sql.Conn) *mysqlKiller {
	var id int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil || id <= 0 {
		return nil
	}
	k := &mysqlKiller{done: make(chan struct{})}
	k.stop = context.AfterFunc(ctx, func() {
		defer close(k.done)
		kctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		db.ExecContext(kctx, "KILL QUERY "+strconv.FormatInt(id, 10)) // best effort
	})
	return k
}

// end detaches the killer; it reports whether KILL QUERY was sent, in which
// case the connection must not be reused (a late KILL could hit the next
// query).
func (k *mysqlKiller) end() bool {
	if k == nil {
		return false
	}
	if k.stop() {
		return false
	}
	<-k.done
	return true
}
