package conformance_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/internal/testenv"
)

// TestMySQLOrdinaryUser runs tx-isolation as a MariaDB user without the
// PROCESS privilege: the level cannot be read, which is not a defect of the
// connection. The check is not provable and names the grant that would
// prove it.
func TestMySQLOrdinaryUser(t *testing.T) {
	admin := testenv.MySQL(t)
	host, port, err := mysqlAddr(testenv.MySQLDSN())
	if err != nil {
		t.Fatal(err)
	}
	user, pw := "vapconf_"+randHex(), "pw-"+randHex()
	mustExec(t, admin, fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", user, pw))
	t.Cleanup(func() { admin.Exec(fmt.Sprintf("DROP USER IF EXISTS '%s'@'%%'", user)) })
	mustExec(t, admin, "CREATE DATABASE "+user)
	t.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + user) })
	mustExec(t, admin, fmt.Sprintf("GRANT ALL ON %s.* TO '%s'@'%%'", user, user))
	st := testenv.Store(t)
	testenv.Put(t, st, "conformance-mysql-user", "mysql", map[string]string{
		"host": host, "port": port, "user_name": user, "password": pw, "dbname": user,
	})
	var others []string
	for _, id := range conformance.Checks() {
		if !slices.Contains([]string{"resolve", "ping", "tx-isolation"}, id) {
			others = append(others, id)
		}
	}
	// Check, not Run: the n.p. this test expects is, by design, not
	// declared in Gaps (Run fails an undeclared n.p. in CI).
	rs := conformance.Check(context.Background(), conformance.Target{Name: "conformance-mysql-user", Store: st,
		Gaps: conformance.GapsFor(others, "proven by TestMySQL")})
	for _, r := range rs {
		if r.ID != "tx-isolation" {
			continue
		}
		if r.Status != conformance.NotProvable || !strings.Contains(r.Detail, "PROCESS") {
			t.Fatalf("tx-isolation: %s %q; want n.p. naming the PROCESS privilege", r.Status, r.Detail)
		}
		return
	}
	t.Fatal("tx-isolation did not run")
}
