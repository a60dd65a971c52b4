package tdspeer_test

import (
	"errors"
	"strings"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/peer/tdspeer"
)

// TestLogin proves LOGIN7 is checked: the right password logs in and
// answers the driver's ping (select 1;), a wrong one gets SQL Server's
// 18456, and the password is in no error.
func TestLogin(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	ctx := testContext(t)
	db := openDB(t, p)
	if err := db.PingContext(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil || n != 1 {
		t.Fatalf("SELECT 1: %d, %v", n, err)
	}
	var dbName, user string
	if err := db.QueryRowContext(ctx, "SELECT DB_NAME(), SUSER_NAME()").Scan(&dbName, &user); err != nil {
		t.Fatal(err)
	}
	if dbName != p.Database() || user != testUser {
		t.Errorf("DB_NAME, SUSER_NAME = %q, %q", dbName, user)
	}

	const wrong = "not-the-Password-42"
	bad := openWith(t, dsn(p, testUser, wrong, "true"))
	err := bad.PingContext(ctx)
	var me mssql.Error
	if !errors.As(err, &me) {
		t.Fatalf("wrong password: %v (%T), want an mssql.Error", err, err)
	}
	if me.Number != 18456 || me.Class != 14 || !strings.HasSuffix(me.Message, "Login failed for user '"+testUser+"'.") {
		t.Errorf("wrong password: %d class %d %q", me.Number, me.Class, me.Message)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("error holds the password: %v", err)
	}
	badUser := openWith(t, dsn(p, "nobody", testPassword, "true"))
	if err := badUser.PingContext(ctx); err == nil || !strings.Contains(err.Error(), "Login failed for user 'nobody'.") {
		t.Errorf("unknown user: %v", err)
	}
	if st := p.Stats(); st.FailedLogins != 2 || st.Logins < 1 {
		t.Errorf("stats %+v, want 2 failed logins", st)
	}
}
