package orapeer_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sijms/go-ora/v2/network"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/orapeer"
	_ "github.com/vapsql/vap/registry/oracle" // the oracle type
)

// canary is a password with every character a URL, a connect descriptor
// or a shell could mangle.
const canary = `p@ss:w/o;rd "q" %+\ 'x' ü`

// TestThroughVap logs in through a stored oracle connection (vap's oracle
// type building go-ora's URL) with the canary password, and is refused
// with ORA-01017 for a wrong one, without the password in the error.
func TestThroughVap(t *testing.T) {
	p, err := orapeer.Start(orapeer.Config{User: "app_user", Password: canary, Service: "FREEPDB1"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	st := testenv.Store(t)
	fields := func(pw string) map[string]string {
		return map[string]string{
			"host": p.Host(), "port": strconv.Itoa(p.Port()), "dbname": p.Service(),
			"user_name": "app_user", "password": pw,
		}
	}
	testenv.Put(t, st, "ora-ok", "oracle", fields(canary))
	testenv.Put(t, st, "ora-wrong", "oracle", fields(canary+"!"))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	db := testenv.OpenDB(t, st, "ora-ok")
	var user string
	var sid string
	if err := db.QueryRowContext(ctx, "SELECT USER, SYS_CONTEXT('USERENV', 'SID') FROM DUAL").Scan(&user, &sid); err != nil {
		t.Fatalf("query: %v", err)
	}
	if user != "APP_USER" || sid == "" {
		t.Fatalf("USER, SID = %q, %q", user, sid)
	}

	bad := testenv.OpenDB(t, st, "ora-wrong")
	err = bad.PingContext(ctx)
	var oe *network.OracleError
	if !errors.As(err, &oe) || oe.ErrCode != 1017 {
		t.Fatalf("wrong password: err = %v, want ORA-01017", err)
	}
	for _, leak := range []string{canary, "p@ss", "w/o;rd"} {
		if strings.Contains(err.Error(), leak) {
			t.Fatalf("error quotes the password: %v", err)
		}
	}
}
