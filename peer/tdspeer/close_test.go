package tdspeer_test

import (
	"context"
	"errors"
	"net"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/peer/tdspeer"
)

// TestMaxSessions proves a login past Config.MaxSessions is refused with
// SQL Server's 17809, and that a session's end frees its place.
func TestMaxSessions(t *testing.T) {
	p := startPeer(t, tdspeer.Config{MaxSessions: 1})
	ctx := testContext(t)
	db := openDB(t, p)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	err = openDB(t, p).PingContext(ctx)
	var me mssql.Error
	if !errors.As(err, &me) || me.Number != 17809 {
		t.Fatalf("second session: %v, want error 17809", err)
	}
	conn.Close()
	db.Close()
	for i := 0; i < 500 && p.Stats().Sessions != 0; i++ {
		waitABit()
	}
	if err := openDB(t, p).PingContext(ctx); err != nil {
		t.Errorf("after the first session ended: %v", err)
	}
}

// TestCloseWhileBusy proves Close ends a running statement, a connection
// that never logged in, and the admin endpoints, and returns.
func TestCloseWhileBusy(t *testing.T) {
	p, err := tdspeer.Start(tdspeer.Config{User: testUser, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	silent, err := net.Dial("tcp", p.Address())
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	db := openDB(t, p)
	ctx := testContext(t)
	errc := make(chan error, 1)
	go func() {
		_, err := db.ExecContext(ctx, "WAITFOR DELAY '00:01:00' -- busy")
		errc <- err
	}()
	waitRunning(t, p, "busy")
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := <-errc; err == nil {
		t.Error("the WAITFOR succeeded on a closed peer")
	}
	if _, err := (&net.Dialer{}).DialContext(context.Background(), "tcp", p.Address()); err == nil {
		t.Error("the closed peer still accepts connections")
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
