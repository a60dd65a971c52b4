package vault

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin handle on the private cluster

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/internal/testenv"
	_ "github.com/vapsql/vap/registry/postgres"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

func pgIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func pgLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// TestVaultDBOnScramPostgres: a postgresql connection whose password is
// {"ref": "vault-db:database/app"} logs in, through the vap driver, as the
// user the fake Vault created (a scram-sha-256 role on a private cluster
// that checks passwords): concurrent connects share one lease; once the
// lease ends and the user is dropped, the next connection gets new
// credentials; a wrong role fails at the reference step with no token in
// the error.
func TestVaultDBOnScramPostgres(t *testing.T) {
	p := testenv.StartPrivatePostgres(t)
	if p == nil {
		return
	}
	admin := p.Admin(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	f := newFakeVault(t)
	f.onCreds = func(user, password string) error {
		_, err := admin.ExecContext(ctx, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD %s", pgIdent(user), pgLiteral(password)))
		return err
	}
	f.onRevoke = func(user string) error {
		_, err := admin.ExecContext(ctx, "DROP ROLE "+pgIdent(user))
		return err
	}
	useEnvClient(t, f)

	st := testenv.Store(t)
	put := func(name, ref string) {
		c := &store.Connection{Name: name, Type: "postgresql"}
		c.Set("host", "127.0.0.1", false)
		c.Set("port", strconv.Itoa(p.Port), false)
		c.Set("user_name", "set-by-vault", false) // replaced by the lease's user
		c.Set("dbname", "postgres", false)
		c.Set("options.sslmode", "disable", false)
		c.SetRef("password", ref)
		if err := st.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	put("vault-db", "vault-db:database/app")
	put("vault-db-wrong", "vault-db:database/nope")

	var clock struct {
		sync.Mutex
		t time.Time
	}
	clock.t = time.Now()
	cc := credential.NewCache(credential.WithClock(func() time.Time { clock.Lock(); defer clock.Unlock(); return clock.t }))
	open := func(name string) *sql.DB {
		conn, err := stdlib.NewConnector(name, stdlib.WithStore(st), stdlib.WithCredentialCache(cc))
		if err != nil {
			t.Fatal(err)
		}
		db := sql.OpenDB(conn)
		db.SetMaxIdleConns(0) // every query a new physical connection
		t.Cleanup(func() { db.Close() })
		return db
	}
	db := open("vault-db")
	who := func() (string, error) {
		var u string
		err := db.QueryRowContext(ctx, "SELECT current_user").Scan(&u)
		return u, err
	}

	var wg sync.WaitGroup
	users := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u, err := who()
			if err != nil {
				t.Errorf("connect: %v", err)
			}
			users <- u
		}()
	}
	wg.Wait()
	close(users)
	first := ""
	for u := range users {
		if first == "" {
			first = u
		}
		if u != first || !strings.HasPrefix(u, "v-app-") {
			t.Fatalf("logged in as %q and %q: want one Vault user", first, u)
		}
	}
	if n := f.count("GET /v1/database/creds/app"); n != 1 {
		t.Fatalf("%d credential reads for 8 concurrent connects, want 1", n)
	}

	// The lease ends: Vault drops the user; the next connection gets new
	// credentials.
	f.advance(61 * time.Minute)
	clock.Lock()
	clock.t = clock.t.Add(61 * time.Minute)
	clock.Unlock()
	if err := f.sweep(); err != nil {
		t.Fatal(err)
	}
	second, err := who()
	if err != nil {
		t.Fatalf("after the lease ended: %v", err)
	}
	if second == first || !strings.HasPrefix(second, "v-app-") {
		t.Fatalf("after the lease ended: logged in as %q (first %q)", second, first)
	}
	if n := f.count("GET /v1/database/creds/app"); n != 2 {
		t.Fatalf("%d credential reads, want 2", n)
	}

	// A role Vault does not have: the reference step fails, clearly.
	_, err = open("vault-db-wrong").ExecContext(ctx, "SELECT 1")
	var ce *stdlib.ConnectError
	if !errors.As(err, &ce) || ce.Op != stdlib.OpRef || !strings.Contains(err.Error(), "vault-db:database/nope") || !strings.Contains(err.Error(), "unknown role") {
		t.Fatalf("wrong role: %v", err)
	}
	noSecret(t, err.Error(), testToken)
}
