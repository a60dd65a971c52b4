package orapeer

import "testing"

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
