package store_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/keyset"
)

// rawFields reads a record's sealed fields straight from the store file.
func rawFields(t *testing.T, home, name string) map[string]backend.SealedField {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(home, store.StoreFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var js string
	if err := db.QueryRow(`SELECT fields FROM vap_connections WHERE name = ?`, name).Scan(&js); err != nil {
		t.Fatal(err)
	}
	var f map[string]backend.SealedField
	if err := json.Unmarshal([]byte(js), &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func writeFields(t *testing.T, home, name string, f map[string]backend.SealedField) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(home, store.StoreFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	js, _ := json.Marshal(f)
	if _, err := db.Exec(`UPDATE vap_connections SET fields = ? WHERE name = ?`, string(js), name); err != nil {
		t.Fatal(err)
	}
}

func TestCiphertextBoundToNameAndField(t *testing.T) {
	ctx := context.Background()
	st, home := newStore(t)
	a := pgConn("a", "password-of-a")
	a.Set("user_name", "user-of-a", true)
	if err := st.Create(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := st.Create(ctx, pgConn("b", "password-of-b")); err != nil {
		t.Fatal(err)
	}
	fa := rawFields(t, home, "a")
	fb := rawFields(t, home, "b")

	tests := []struct {
		name   string
		target string
		field  string
		mutate func(map[string]backend.SealedField)
	}{
		{"ciphertext moved to another connection", "b", "password", func(f map[string]backend.SealedField) { f["password"] = fa["password"] }},
		{"ciphertext moved to another field", "a", "user_name", func(f map[string]backend.SealedField) { f["user_name"] = fa["password"] }},
		{"one bit flipped", "a", "password", func(f map[string]backend.SealedField) {
			ct, _ := base64.StdEncoding.DecodeString(fa["password"].Value)
			ct[len(ct)-1] ^= 1
			f["password"] = backend.SealedField{Value: base64.StdEncoding.EncodeToString(ct), Secret: true}
		}},
		{"host pointed elsewhere", "a", "*", func(f map[string]backend.SealedField) { f["host"] = backend.SealedField{Value: "attacker.example"} }},
		{"plain field added", "a", "*", func(f map[string]backend.SealedField) { f["options.sslmode"] = backend.SealedField{Value: "disable"} }},
		{"plain field removed", "a", "*", func(f map[string]backend.SealedField) { delete(f, "port") }},
		{"not base64", "a", "password", func(f map[string]backend.SealedField) {
			f["password"] = backend.SealedField{Value: "%%%", Secret: true}
		}},
		{"truncated", "a", "password", func(f map[string]backend.SealedField) {
			f["password"] = backend.SealedField{Value: fa["password"].Value[:8], Secret: true}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			orig := fa
			if tc.target == "b" {
				orig = fb
			}
			f := map[string]backend.SealedField{}
			for k, v := range orig {
				f[k] = v
			}
			tc.mutate(f)
			writeFields(t, home, tc.target, f)
			defer writeFields(t, home, tc.target, orig)
			_, err := st.Get(ctx, tc.target)
			var de *store.DecryptError
			if !errors.As(err, &de) || !errors.Is(err, store.ErrDecrypt) || (de.Field != tc.field && tc.field != "*") || de.Name != tc.target {
				t.Fatalf("err = %v", err)
			}
			for _, s := range []string{"password-of-a", "password-of-b", "user-of-a"} {
				if strings.Contains(err.Error(), s) {
					t.Fatal("error holds a secret")
				}
			}
		})
	}
	if got, err := st.Get(ctx, "a"); err != nil || got.Get("password") != "password-of-a" {
		t.Fatalf("restored record: %v", err)
	}
}

func TestWrongKeyset(t *testing.T) {
	ctx := context.Background()
	st, home := newStore(t)
	if err := st.Create(ctx, pgConn("pg", "pw-wrong-keyset")); err != nil {
		t.Fatal(err)
	}
	st.Close()
	other, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	st2 := store.Open(store.WithHome(home), store.WithKeyset(other), noEnv)
	defer st2.Close()
	_, err = st2.Get(ctx, "pg")
	if !errors.Is(err, store.ErrDecrypt) || strings.Contains(err.Error(), "pw-wrong-keyset") {
		t.Fatalf("err = %v", err)
	}
}

func TestKeysetFile(t *testing.T) {
	ctx := context.Background()
	t.Run("created 0600 on first use and reused", func(t *testing.T) {
		st, home := newStore(t)
		if err := st.Create(ctx, pgConn("pg", "pw")); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(filepath.Join(home, store.KeysetFileName))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Fatalf("keyset mode %v", fi.Mode().Perm())
		}
		st.Close()
		st2 := store.Open(store.WithHome(home), noEnv)
		defer st2.Close()
		if c, err := st2.Get(ctx, "pg"); err != nil || c.Get("password") != "pw" {
			t.Fatalf("reopen: %v", err)
		}
	})
	for _, mode := range []os.FileMode{0o640, 0o604, 0o644, 0o660} {
		t.Run("refused when mode is "+mode.String(), func(t *testing.T) {
			st, home := newStore(t)
			if err := st.Create(ctx, pgConn("pg", "pw")); err != nil {
				t.Fatal(err)
			}
			st.Close()
			if err := os.Chmod(filepath.Join(home, store.KeysetFileName), mode); err != nil {
				t.Fatal(err)
			}
			st2 := store.Open(store.WithHome(home), noEnv)
			defer st2.Close()
			_, err := st2.Get(ctx, "pg")
			if !errors.Is(err, store.ErrKeyset) || !strings.Contains(err.Error(), "readable by group or others") {
				t.Fatalf("err = %v", err)
			}
		})
	}
	t.Run("VAP_KEYSET and VAP_KEYSET_FILE", func(t *testing.T) {
		h, _ := store.NewKeyset()
		js, err := keyset.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		home := t.TempDir()
		env := map[string]string{store.EnvKeyset: string(js)}
		lookup := store.WithLookupEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		st := store.Open(store.WithHome(home), lookup)
		if err := st.Create(ctx, pgConn("pg", "pw-env")); err != nil {
			t.Fatal(err)
		}
		st.Close()
		if _, err := os.Stat(filepath.Join(home, store.KeysetFileName)); !errors.Is(err, os.ErrNotExist) {
			t.Fatal("a keyset file was created although VAP_KEYSET was set")
		}
		kf := filepath.Join(t.TempDir(), "k.json")
		if err := os.WriteFile(kf, js, 0o600); err != nil {
			t.Fatal(err)
		}
		env = map[string]string{store.EnvKeysetFile: kf}
		st = store.Open(store.WithHome(home), lookup)
		if c, err := st.Get(ctx, "pg"); err != nil || c.Get("password") != "pw-env" {
			t.Fatalf("VAP_KEYSET_FILE: %v", err)
		}
		st.Close()
		env = map[string]string{store.EnvKeyset: "{not a keyset"}
		st = store.Open(store.WithHome(home), lookup)
		if _, err := st.Get(ctx, "pg"); !errors.Is(err, store.ErrKeyset) {
			t.Fatalf("bad VAP_KEYSET: %v", err)
		}
		st.Close()
	})
}

func TestEnvOverride(t *testing.T) {
	ctx := context.Background()
	if got := store.EnvName("my-postgres-connection"); got != "VAP_CONN_MY_POSTGRES_CONNECTION" {
		t.Fatalf("EnvName = %s", got)
	}
	if got := store.EnvName("a.b c/é9"); got != "VAP_CONN_A_B_C__9" {
		t.Fatalf("EnvName = %s", got)
	}
	home := t.TempDir()
	env := map[string]string{
		"VAP_CONN_FROM_ENV": `{"connection_type": "postgresql", "host": "envhost", "user_name": "u", "password": "env-pw", "port": 6543}`,
		"VAP_CONN_BAD":      `{"connection_type": "postgresql", "password": "bad-env-pw"}`,
	}
	st := store.Open(store.WithHome(home), store.WithLookupEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok }))
	defer st.Close()
	c, err := st.Resolve(ctx, "from-env")
	if err != nil {
		t.Fatal(err)
	}
	if c.Get("host") != "envhost" || c.Get("port") != "6543" || !c.Fields["password"].Secret {
		t.Fatalf("override = %v", c)
	}
	if _, err := os.Stat(filepath.Join(home, store.StoreFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Error("resolving an env override touched the disk")
	}
	// The override wins over a stored connection of the same name.
	stored := pgConn("from-env", "stored-pw")
	if err := st.Create(ctx, stored); err != nil {
		t.Fatal(err)
	}
	if c, _ := st.Resolve(ctx, "from-env"); c.Get("host") != "envhost" {
		t.Fatal("store won over VAP_CONN_")
	}
	_, err = st.Resolve(ctx, "bad")
	if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "VAP_CONN_BAD") || strings.Contains(err.Error(), "bad-env-pw") {
		t.Fatalf("invalid override: %v", err)
	}
}

func TestConnectionNeverPrintsSecret(t *testing.T) {
	c := pgConn("pg", "fmt-canary-91")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X"} {
		for _, v := range []any{c, *c, c.Fields, c.Fields["password"], c.Params()} {
			if s := sprintf(verb, v); strings.Contains(s, "fmt-canary-91") || strings.Contains(s, hexOf("fmt-canary-91")) {
				t.Errorf("%s of %T leaks: %s", verb, v, s)
			}
		}
	}
}

// TestTypeChangeBreaksSecrets: someone with write access to the store but no
// keyset changes a connection's type; its secrets no longer open.
func TestTypeChangeBreaksSecrets(t *testing.T) {
	ctx := context.Background()
	st, home := newStore(t)
	if err := st.Create(ctx, pgConn("a", "pw-type")); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", filepath.Join(home, store.StoreFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE vap_connections SET type = 'sqlalchemy-redshift' WHERE name = 'a'`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(ctx, "a"); !errors.Is(err, store.ErrDecrypt) {
		t.Fatalf("after a type change: %v", err)
	}
}

// TestEarlierRecordRestoredOpens pins the limit README states: a writer
// without the keyset can put back an earlier record of a connection as a
// whole (old host with the password sealed for it), and it opens; what it
// cannot do is mix the earlier secret with the current plain fields.
func TestEarlierRecordRestoredOpens(t *testing.T) {
	ctx := context.Background()
	st, home := newStore(t)
	c := pgConn("a", "old-password-1")
	if err := st.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	old := rawFields(t, home, "a")
	c.Set("host", "new-host.example", false)
	c.Set("password", "new-password-2", true)
	if err := st.Update(ctx, c); err != nil {
		t.Fatal(err)
	}
	cur := rawFields(t, home, "a")

	mixed := map[string]backend.SealedField{}
	for k, v := range cur {
		mixed[k] = v
	}
	mixed["password"] = old["password"]
	writeFields(t, home, "a", mixed)
	if _, err := st.Get(ctx, "a"); !errors.Is(err, store.ErrDecrypt) {
		t.Fatalf("the earlier password with the current host: %v", err)
	}

	writeFields(t, home, "a", old)
	got, err := st.Get(ctx, "a")
	if err != nil || got.Get("password") != "old-password-1" || got.Get("host") == "new-host.example" {
		t.Fatalf("the earlier record restored as a whole: %v (README says it opens)", err)
	}
}
