package mysql_test

import (
	"context"
	"database/sql"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/mysql"
)

// serverParams returns the fields of a connection to the test server.
func serverParams(t *testing.T, extra map[string]string) registry.Params {
	t.Helper()
	admin := testenv.MySQL(t)
	if err := admin.Ping(); err != nil {
		testenv.Unavailable(t, "MySQL/MariaDB", testenv.EnvMySQL, err)
	}
	cfg, err := gomysql.ParseDSN(testenv.MySQLDSN())
	if err != nil {
		t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		t.Fatal(err)
	}
	f := map[string]string{"host": host, "port": port, "user_name": cfg.User, "password": cfg.Passwd, "dbname": cfg.DBName}
	for k, v := range extra {
		f[k] = v
	}
	return registry.NewParams("m", "mysql", f)
}

func openDB(t *testing.T, p registry.Params) *sql.DB {
	t.Helper()
	c, err := mysql.MySQL.Connector(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { db.Close() })
	return db
}

// options.charset is documented; go-sql-driver/mysql ≥ 1.8 takes it through
// its Charset option (a "charset" session parameter is an unknown system
// variable to the server).
func TestCharsetOption(t *testing.T) {
	for _, cs := range []string{"utf8mb4", "latin1"} {
		db := openDB(t, serverParams(t, map[string]string{"options.charset": cs}))
		var got string
		if err := db.QueryRow("SELECT @@character_set_client").Scan(&got); err != nil {
			t.Fatalf("charset %s: %v", cs, err)
		}
		if got != cs {
			t.Fatalf("charset %s: the session uses %s", cs, got)
		}
	}
}

// silentListener accepts TCP connections and never answers.
func silentListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// A server that accepts TCP and never answers must not hang a connection
// that has no deadline of its own: the handshake is bounded by the
// connection's timeout (10s by default, options.timeout).
func TestSilentServerHandshakeBounded(t *testing.T) {
	host, port, _ := net.SplitHostPort(silentListener(t))
	p := registry.NewParams("m", "mysql", map[string]string{"host": host, "port": port, "user_name": "u", "options.timeout": "1s"})
	c, err := mysql.MySQL.Connector(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		conn, err := c.Connect(context.Background())
		if conn != nil {
			conn.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a silent server accepted the connection")
		}
		if !strings.Contains(err.Error(), "options.timeout") {
			t.Errorf("the error does not say which bound was hit: %v", err)
		}
	case <-time.After(60 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("the handshake with a silent server never ended")
	}
}

type captureLogger struct {
	mu  sync.Mutex
	out []string
}

func (l *captureLogger) Print(v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, x := range v {
		if e, ok := x.(error); ok {
			b.WriteString(e.Error())
		} else if s, ok := x.(string); ok {
			b.WriteString(s)
		}
	}
	l.out = append(l.out, b.String())
}

// The driver's own logger (stderr by default) must not see vap's
// connections: a server-closed idle connection is reported as
// "[mysql] … closing bad idle connection: EOF" otherwise.
func TestDriverLoggerSilenced(t *testing.T) {
	p := serverParams(t, nil)
	capture := &captureLogger{}
	if err := gomysql.SetLogger(capture); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gomysql.SetLogger(log.New(os.Stderr, "[mysql] ", log.Ldate|log.Ltime)) })
	db := openDB(t, p)
	db.SetMaxIdleConns(1)
	var id int64
	if err := db.QueryRow("SELECT CONNECTION_ID()").Scan(&id); err != nil {
		t.Fatal(err)
	}
	admin := testenv.MySQL(t)
	if _, err := admin.Exec("KILL " + strconv.FormatInt(id, 10)); err != nil {
		t.Fatal(err)
	}
	// The idle connection is dead; the pool finds out and retries.
	for i := 0; i < 20; i++ {
		var n int
		if err := db.QueryRow("SELECT 1").Scan(&n); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	capture.mu.Lock()
	defer capture.mu.Unlock()
	if len(capture.out) > 0 {
		t.Fatalf("the driver logged on its default logger: %q", capture.out)
	}
}
