package orapeer

import (
	"strconv"
	"testing"
)

// TestPreparedReexecution runs prepared statements several times: go-ora
// then re-executes the parsed cursor (OEXEC / OEXFEN) instead of parsing.
func TestPreparedReexecution(t *testing.T) {
	p := startPeer(t)
	db := openGoOra(t, p)
	db.SetMaxOpenConns(1)
	ctx := testCtx(t)
	mustExec(t, db, `CREATE TABLE prep (id NUMBER PRIMARY KEY, v VARCHAR2(20))`)
	ins, err := db.PrepareContext(ctx, `INSERT INTO prep (id, v) VALUES (:1, :2)`)
	if err != nil {
		t.Fatal(err)
	}
	defer ins.Close()
	for i := 1; i <= 5; i++ {
		res, err := ins.ExecContext(ctx, i, "v"+string(rune('0'+i)))
		if err != nil {
			t.Fatalf("insert %d: %v", i, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("insert %d affected %d", i, n)
		}
	}
	sel, err := db.PrepareContext(ctx, `SELECT v FROM prep WHERE id = :1`)
	if err != nil {
		t.Fatal(err)
	}
	defer sel.Close()
	for i := 5; i >= 1; i-- {
		var v string
		if err := sel.QueryRowContext(ctx, i).Scan(&v); err != nil || v != "v"+string(rune('0'+i)) {
			t.Fatalf("select %d = %q, %v", i, v, err)
		}
	}
	res, err := db.ExecContext(ctx, `DELETE FROM prep WHERE id > :1`, 2)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 3 {
		t.Fatalf("delete affected %d, want 3", n)
	}
}

// TestDropSessions cuts every connection; the pool then opens new ones.
func TestDropSessions(t *testing.T) {
	p := startPeer(t)
	db := openGoOra(t, p)
	ctx := testCtx(t)
	if err := db.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	if n := p.DropSessions(); n != 1 {
		t.Fatalf("dropped %d sessions, want 1", n)
	}
	var one int
	var err error
	for range 3 { // database/sql retries a bad connection
		if err = db.QueryRowContext(ctx, "SELECT 1 FROM DUAL").Scan(&one); err == nil {
			break
		}
	}
	if err != nil || one != 1 {
		t.Fatalf("after DropSessions: %v", err)
	}
}

// TestKillSession ends another session the Oracle way: its SID and serial
// from V$SESSION, then ALTER SYSTEM KILL SESSION.
func TestKillSession(t *testing.T) {
	p := startPeer(t)
	victim, admin := openGoOra(t, p), openGoOra(t, p)
	victim.SetMaxOpenConns(1)
	ctx := testCtx(t)
	var sid string
	if err := victim.QueryRowContext(ctx, "SELECT SYS_CONTEXT('USERENV', 'SID') FROM DUAL").Scan(&sid); err != nil {
		t.Fatal(err)
	}
	var serial int
	var user string
	if err := admin.QueryRowContext(ctx, `SELECT SERIAL#, USERNAME FROM V$SESSION WHERE SID = :1`, sid).Scan(&serial, &user); err != nil {
		t.Fatal(err)
	}
	if user != "SCOTT" {
		t.Fatalf("V$SESSION.USERNAME = %q", user)
	}
	if _, err := admin.ExecContext(ctx, "ALTER SYSTEM KILL SESSION '"+sid+","+strconv.Itoa(serial)+"' IMMEDIATE"); err != nil {
		t.Fatalf("kill: %v", err)
	}
	if _, err := admin.ExecContext(ctx, "ALTER SYSTEM KILL SESSION '99999,1'"); oraCode(err) != 30 {
		t.Fatalf("kill of a missing session: %v, want ORA-00030", err)
	}
	// the victim's pool notices and reconnects with a new session
	var again string
	var err error
	for range 3 {
		if err = victim.QueryRowContext(ctx, "SELECT SYS_CONTEXT('USERENV', 'SID') FROM DUAL").Scan(&again); err == nil {
			break
		}
	}
	if err != nil || again == sid {
		t.Fatalf("after kill: SID %q (was %q), %v", again, sid, err)
	}
}
