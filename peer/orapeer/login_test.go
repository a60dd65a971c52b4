package orapeer

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	goora "github.com/sijms/go-ora/v2"
	"github.com/sijms/go-ora/v2/network"
)

func TestGoOraLogin(t *testing.T) {
	p := startPeer(t)
	db := openGoOra(t, p)
	if err := db.PingContext(testCtx(t)); err != nil {
		t.Fatalf("ping: %v", err)
	}
	var one int
	if err := db.QueryRowContext(testCtx(t), "SELECT 1 FROM DUAL").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 FROM DUAL = %d, %v", one, err)
	}
}

func TestGoOraWrongPassword(t *testing.T) {
	p := startPeer(t)
	for _, c := range []struct{ user, pw string }{
		{testUser, "wrong"},
		{testUser, testPassword + "x"},
		{"nobody", testPassword},
	} {
		db := sql.OpenDB(goora.NewConnector(goOraURL(p, c.user, c.pw)))
		err := db.PingContext(testCtx(t))
		db.Close()
		var oe *network.OracleError
		if !errors.As(err, &oe) || oe.ErrCode != 1017 {
			t.Fatalf("user %q: err = %v, want ORA-01017", c.user, err)
		}
		if strings.Contains(err.Error(), c.pw) {
			t.Fatalf("error quotes the password: %v", err)
		}
	}
}

func TestGoOraUnknownService(t *testing.T) {
	p := startPeer(t)
	u := strings.Replace(goOraURL(p, testUser, testPassword), "/FREEPDB1", "/OTHER", 1)
	db := sql.OpenDB(goora.NewConnector(u))
	defer db.Close()
	err := db.PingContext(testCtx(t))
	if err == nil || !strings.Contains(err.Error(), "12514") {
		t.Fatalf("err = %v, want ORA-12514", err)
	}
}
