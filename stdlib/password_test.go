package stdlib_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/store"
)

// hardPassword holds every character that breaks DSN concatenation.
const hardPassword = `p@ss:w/o;rd "q" %+\ 'x' ü`

func uniq(prefix string) string {
	return prefix + strconv.FormatInt(time.Now().UnixNano()%1e12, 36)
}

func mysqlLiteral(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
}

func pgLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// whoami opens connection name on st and asks who we are.
func whoami(t *testing.T, st *store.Store, name, query string) (string, error) {
	t.Helper()
	db := testenv.OpenDB(t, st, name)
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var who string
	err := db.QueryRowContext(ctx, query).Scan(&who)
	return who, err
}

func TestHardPasswordMariaDB(t *testing.T) {
	admin := testenv.MySQL(t)
	user := uniq("vap_pw_")
	if _, err := admin.Exec(fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY %s", user, mysqlLiteral(hardPassword))); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(fmt.Sprintf("DROP USER '%s'@'%%'", user)) })
	if _, err := admin.Exec(fmt.Sprintf("GRANT SELECT ON test.* TO '%s'@'%%'", user)); err != nil {
		t.Fatal(err)
	}
	st := testenv.Store(t)
	fields := map[string]string{"host": "127.0.0.1", "user_name": user, "password": hardPassword, "dbname": "test"}
	testenv.Put(t, st, "good", "mysql", fields)
	fields["password"] = hardPassword + "x"
	testenv.Put(t, st, "wrong", "mysql", fields)

	who, err := whoami(t, st, "good", "SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1)")
	if err != nil || who != user {
		t.Fatalf("right password: %q %v", who, err)
	}
	_, err = whoami(t, st, "wrong", "SELECT CURRENT_USER()")
	if err == nil || !strings.Contains(err.Error(), "Access denied") {
		t.Fatalf("wrong password: %v", err)
	}
	if strings.Contains(err.Error(), hardPassword) {
		t.Fatal("error holds the password")
	}

	// A new password, stored while a *sql.DB is open, is used by the
	// physical connections opened after the update.
	db := testenv.OpenDB(t, st, "good")
	db.SetMaxIdleConns(0)
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	newPassword := hardPassword + " v2 ✓"
	if _, err := admin.Exec(fmt.Sprintf("ALTER USER '%s'@'%%' IDENTIFIED BY %s", user, mysqlLiteral(newPassword))); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err == nil {
		t.Fatal("old password still accepted by the server: the test proves nothing")
	}
	c, err := st.Get(context.Background(), "good")
	if err != nil {
		t.Fatal(err)
	}
	c.Set("password", newPassword, true)
	if err := st.Update(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err != nil {
		t.Fatalf("after the store update: %v", err)
	}
}

func TestHardPasswordPostgresSCRAM(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a private PostgreSQL cluster")
	}
	pg := testenv.StartPrivatePostgres(t)
	admin := pg.Admin(t)
	if _, err := admin.Exec("CREATE ROLE vap_scram LOGIN PASSWORD " + pgLiteral(hardPassword)); err != nil {
		t.Fatal(err)
	}
	var method string
	if err := admin.QueryRow("SELECT left(rolpassword, 13) FROM pg_authid WHERE rolname = 'vap_scram'").Scan(&method); err != nil || method != "SCRAM-SHA-256" {
		t.Fatalf("role password is not scram: %q %v", method, err)
	}
	st := testenv.Store(t)
	fields := map[string]string{"host": "127.0.0.1", "port": strconv.Itoa(pg.Port), "user_name": "vap_scram", "password": hardPassword, "dbname": "postgres", "options.sslmode": "disable"}
	testenv.Put(t, st, "good", "postgresql", fields)
	fields["password"] = "p@ss:w/o;rd"
	testenv.Put(t, st, "wrong", "postgresql", fields)
	fields["password"] = ""
	testenv.Put(t, st, "empty", "postgresql", fields)

	who, err := whoami(t, st, "good", "SELECT current_user")
	if err != nil || who != "vap_scram" {
		t.Fatalf("right password: %q %v", who, err)
	}
	for _, name := range []string{"wrong", "empty"} {
		_, err = whoami(t, st, name, "SELECT current_user")
		if err == nil || !strings.Contains(err.Error(), "password authentication failed") {
			t.Fatalf("%s password: %v", name, err)
		}
		if strings.Contains(err.Error(), hardPassword) || strings.Contains(err.Error(), "p@ss:w/o;rd") {
			t.Fatal("error holds the password")
		}
	}
}
