package main

import (
	"database/sql"
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/keyset"
)

// TestSecretCanary plants known secrets and drives every failure path the CLI
// has (bad host, wrong password, wrong database, bad payloads, tampered
// ciphertext, wrong keyset, bad queries), then greps everything printed, in
// any encoding a driver might use, for them. A leak is reported by step name
// only: the test never prints the output that leaked.
func TestSecretCanary(t *testing.T) {
	t.Parallel()
	admin := testenv.MySQL(t)
	testenv.Postgres(t)
	stamp := strconv.FormatInt(time.Now().UnixNano()%1e12, 36)
	realPw := "CanaryReal-" + stamp + `-p@ss:w/o;rd "q" %+\ 'x' ü`
	wrongPw := "CanaryWrong-" + stamp + "-s3cr3t"
	userPw := "CanaryUserField-" + stamp
	canaries := []string{realPw, wrongPw, userPw, "CanaryReal-" + stamp, "CanaryWrong-" + stamp}

	user := "vap_canary_" + stamp
	if _, err := admin.Exec(fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY %s", user, mysqlLiteral(realPw))); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(fmt.Sprintf("DROP USER '%s'@'%%'", user)) })
	admin.Exec(fmt.Sprintf("GRANT SELECT ON test.* TO '%s'@'%%'", user))

	home := t.TempDir()
	var all strings.Builder
	step := func(name, stdin string, wantCode int, args ...string) {
		t.Helper()
		out, errs, code := cli(t, home, stdin, args...)
		all.WriteString(out + errs)
		if code != wantCode {
			t.Errorf("%s: exit %d, want %d", name, code, wantCode)
		}
		for _, c := range canaries {
			for _, form := range []string{c, url.QueryEscape(c), url.PathEscape(c), base64.StdEncoding.EncodeToString([]byte(c))} {
				if strings.Contains(out+errs, form) {
					t.Errorf("%s: a secret appears in the output", name)
				}
			}
		}
	}
	payload := func(name, typ, host, port, user, pw, db string) string {
		return fmt.Sprintf(`{"name": %q, "connection_data": {"connection_type": %q, "host": %q, "port": %s, "user_name": %q, "password": {"value": %q, "encrypt": true}, "dbname": %q}}`,
			name, typ, host, port, user, pw, db)
	}

	// Bad payloads that carry a secret.
	step("unknown type", payload("x", "cobol", "h", "1", "u", realPw, "d"), 1, "conn", "create", "-f", "-")
	step("bad port", payload("x", "mysql", "h", "99999", "u", realPw, "d"), 1, "conn", "create", "-f", "-")
	step("truncated JSON", payload("x", "mysql", "h", "1", "u", realPw, "d")[:120], 1, "conn", "create", "-f", "-")
	step("secret as wrong JSON type", `{"name": "x", "connection_data": {"connection_type": "mysql", "password": {"value": ["`+realPw+`"]}}}`, 1, "conn", "create", "-f", "-")
	step("unknown field by flags", "", 1, "conn", "create", "x", "--type", "mysql", "--set", "host=h", "--set", "user_name=u", "--secret", "password="+realPw, "--set", "bogus="+userPw)

	// Connections that fail at the server.
	step("store good", payload("good", "mysql", "127.0.0.1", "3306", user, realPw, "test"), 0, "conn", "create", "-f", "-")
	step("store wrong password", payload("wrongpw", "mysql", "127.0.0.1", "3306", user, wrongPw, "test"), 0, "conn", "create", "-f", "-")
	step("store wrong database", payload("wrongdb", "mysql", "127.0.0.1", "3306", user, realPw, "no_such_db_"+stamp), 0, "conn", "create", "-f", "-")
	step("store bad host", payload("badhost", "postgresql", "127.0.0.1", "1", "root", realPw, "test"), 0, "conn", "create", "-f", "-")
	step("store unresolvable host", payload("nohost", "mysql", "no-such-host.invalid", "3306", user, realPw, "test"), 0, "conn", "create", "-f", "-")
	step("store pg wrong database", payload("pgwrongdb", "postgresql", "127.0.0.1", "5432", "root", realPw, "no_such_db_"+stamp), 0, "conn", "create", "-f", "-")
	step("duplicate create", payload("good", "mysql", "127.0.0.1", "3306", user, realPw, "test"), 1, "conn", "create", "-f", "-")

	step("test good", "", 0, "conn", "test", "good")
	step("query good", "", 0, "query", "good", "SELECT CURRENT_USER()")
	step("test wrong password", "", 1, "conn", "test", "wrongpw")
	step("query wrong password", "", 1, "query", "wrongpw", "SELECT 1", "--format", "json")
	step("test wrong database", "", 1, "conn", "test", "wrongdb")
	step("test bad host", "", 1, "conn", "test", "badhost", "--timeout", "10s")
	step("test unresolvable host", "", 1, "conn", "test", "nohost", "--timeout", "10s")
	step("test pg wrong database", "", 1, "conn", "test", "pgwrongdb")
	step("query syntax error", "", 1, "query", "good", "SELEC "+"1")
	step("show", "", 0, "conn", "show", "good")
	step("show json", "", 0, "conn", "show", "good", "--json")
	step("list", "", 0, "conn", "list")

	// Tampered ciphertext: flip one byte of the stored password.
	db, err := sql.Open("sqlite", filepath.Join(home, store.StoreFileName))
	if err != nil {
		t.Fatal(err)
	}
	var fields string
	if err := db.QueryRow(`SELECT fields FROM vap_connections WHERE name = 'good'`).Scan(&fields); err != nil {
		t.Fatal(err)
	}
	i := strings.Index(fields, `"password":{"v":"`) + len(`"password":{"v":"`) + 20
	tampered := fields[:i] + string(rune(fields[i]^1)) + fields[i+1:]
	if _, err := db.Exec(`UPDATE vap_connections SET fields = ? WHERE name = 'good'`, tampered); err != nil {
		t.Fatal(err)
	}
	db.Close()
	step("show tampered", "", 1, "conn", "show", "good")
	step("test tampered", "", 1, "conn", "test", "good")
	step("query tampered", "", 1, "query", "good", "SELECT 1")

	// Wrong keyset: replace the keyset file with a fresh one.
	h, _ := store.NewKeyset()
	js, _ := keyset.Marshal(h)
	if err := os.WriteFile(filepath.Join(home, store.KeysetFileName), js, 0o600); err != nil {
		t.Fatal(err)
	}
	step("test wrong keyset", "", 1, "conn", "test", "wrongpw")
	step("show wrong keyset", "", 1, "conn", "show", "wrongdb")
	// A keyset readable by others is refused.
	os.Chmod(filepath.Join(home, store.KeysetFileName), 0o644)
	step("world-readable keyset", "", 1, "conn", "show", "wrongdb")

	// The failures must have said something useful.
	got := all.String()
	for _, want := range []string{"unknown connection type", "Access denied", "to database 'no_such_db_", "connection refused", "cannot decrypt field \"password\"", "readable by group or others", "does not exist"} {
		if !strings.Contains(got, want) {
			t.Errorf("no failure said %q", want)
		}
	}
}

func mysqlLiteral(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
}
