package tdspeer_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/peer/tdspeer"
)

// TestTransactions drives TM BEGIN (with an isolation level), COMMIT and
// ROLLBACK through database/sql, and BEGIN TRAN/COMMIT statements.
func TestTransactions(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	ctx := testContext(t)
	if _, err := db.ExecContext(ctx, "CREATE TABLE acct (id INT PRIMARY KEY, v INT)"); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM acct").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, iso := range []sql.IsolationLevel{sql.LevelDefault, sql.LevelReadCommitted, sql.LevelSerializable, sql.LevelSnapshot} {
		tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: iso})
		if err != nil {
			t.Fatalf("begin %v: %v", iso, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO acct VALUES (@p1, 1)", 1); err != nil {
			t.Fatal(err)
		}
		var trancount int
		if err := tx.QueryRowContext(ctx, "SELECT @@TRANCOUNT").Scan(&trancount); err != nil || trancount != 1 {
			t.Errorf("@@TRANCOUNT in a transaction: %d, %v", trancount, err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatalf("rollback: %v", err)
		}
		if n := count(); n != 0 {
			t.Fatalf("%v: %d rows after rollback", iso, n)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO acct VALUES (2, 2)"); err != nil {
		t.Fatal(err)
	}
	// an error inside the transaction leaves it open (XACT_ABORT OFF)
	if _, err := tx.ExecContext(ctx, "INSERT INTO acct VALUES (2, 3)"); err == nil {
		t.Fatal("duplicate key accepted")
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("commit: %v", err)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d rows after commit, want 1", n)
	}

	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION; INSERT INTO acct VALUES (3, 3); ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRAN; INSERT INTO acct VALUES (4, 4); COMMIT TRAN"); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 2 {
		t.Fatalf("%d rows after the SQL transactions, want 2", n)
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	var me mssql.Error
	if !errors.As(err, &me) || me.Number != 3902 {
		t.Errorf("COMMIT without a transaction: %v", err)
	}
}

// TestResetConnection proves RESETCONNECTION: a session database/sql
// reuses has lost its temporary tables and open transaction.
func TestResetConnection(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	db.SetMaxOpenConns(1)
	ctx := testContext(t)
	if _, err := db.ExecContext(ctx, "CREATE TABLE keep (id INT)"); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "CREATE TABLE #scratch (id INT); INSERT INTO #scratch VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM #scratch").Scan(&n); err != nil || n != 1 {
		t.Fatalf("temp table in its session: %d, %v", n, err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRAN; INSERT INTO keep VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	conn.Close() // back to the pool: the next request carries RESETCONNECTION
	_, err = db.ExecContext(ctx, "SELECT COUNT(*) FROM #scratch")
	var me mssql.Error
	if !errors.As(err, &me) || me.Number != 208 {
		t.Errorf("temp table after reset: %v, want error 208", err)
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM keep").Scan(&n); err != nil || n != 0 {
		t.Errorf("the open transaction survived the reset: %d rows, %v", n, err)
	}
	if st := p.Stats(); st.Sessions != 1 {
		t.Errorf("%d sessions, want the one reused", st.Sessions)
	}
}

// TestCancel proves ATTENTION: a WAITFOR DELAY stops when the context is
// cancelled (the driver gets DONE(ATTN) and returns at once), a result
// cancelled while it streams ends with DONE(ATTN) in the same response,
// and the session answers the next query either way.
func TestCancel(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	db := openDB(t, p)
	db.SetMaxOpenConns(1)
	ctx := testContext(t)

	qctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() {
		_, err := db.ExecContext(qctx, "WAITFOR DELAY '00:01:00'")
		errc <- err
	}()
	waitRunning(t, p, "WAITFOR DELAY")
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled WAITFOR: %v, want context.Canceled", err)
		}
	case <-ctx.Done():
		t.Fatal("WAITFOR did not stop")
	}
	if running := p.RunningStatements(); len(running) != 0 {
		t.Errorf("still running: %q", running)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT 5").Scan(&n); err != nil || n != 5 {
		t.Fatalf("session after the cancel: %d, %v", n, err)
	}

	// mid-response: a result of many packets, cancelled after one row
	qctx, cancel = context.WithCancel(ctx)
	rows, err := db.QueryContext(qctx, "WITH r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 60000) SELECT i, REPLICATE(N'z', 50) AS pad FROM r")
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatalf("no row: %v", rows.Err())
	}
	cancel()
	for rows.Next() {
	}
	rows.Close()
	if err := db.QueryRowContext(ctx, "SELECT 6").Scan(&n); err != nil || n != 6 {
		t.Fatalf("session after the mid-response cancel: %d, %v", n, err)
	}
	if st := p.Stats(); st.Attentions < 2 || st.Sessions != 1 {
		t.Errorf("stats %+v: want 2 attentions on the one session", st)
	}
}

// waitRunning waits until the peer runs a statement containing marker.
func waitRunning(t *testing.T, p *tdspeer.Peer, marker string) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		for _, s := range p.RunningStatements() {
			if strings.Contains(s, marker) {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%q never ran", marker)
}
