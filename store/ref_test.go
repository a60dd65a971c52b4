package store_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
)

const refPayload = `{"name": "ref-pg", "connection_data": {"connection_type": "postgresql",
	"host": "db.example.internal", "user_name": {"ref": "vault-db:database/creds/app"},
	"password": {"ref": "env:PGPASSWORD_REF_TEST"}, "dbname": "test"}}`

func TestRefRoundTrip(t *testing.T) {
	ctx := context.Background()
	st, home := newStore(t)
	c, err := store.DecodePayload(strings.NewReader(refPayload))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := st.Get(ctx, "ref-pg")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"password": "env:PGPASSWORD_REF_TEST", "user_name": "vault-db:database/creds/app"}
	if r := got.Refs(); len(r) != 2 || r["password"] != want["password"] || r["user_name"] != want["user_name"] {
		t.Fatalf("Refs() = %v", r)
	}
	if f := got.Fields["password"]; f.Secret || !f.Ref {
		t.Fatalf("password field = %#v", f)
	}
	if _, ok := got.Params().Lookup("password"); ok {
		t.Fatal("Params holds the reference as a value")
	}
	if len(got.SecretValues()) != 0 {
		t.Fatal("a reference counted as a secret value")
	}
	// Show prints the reference as is, and what it prints is accepted back.
	js, err := store.EncodePayload(got, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"password":{"ref":"env:PGPASSWORD_REF_TEST"}`) {
		t.Fatalf("payload %s", js)
	}
	back, err := store.DecodePayload(strings.NewReader(string(js)))
	if err != nil || back.Refs()["user_name"] != want["user_name"] {
		t.Fatalf("decode of show's output: %v %v", back, err)
	}
	if s := got.String(); !strings.Contains(s, "password: ref(env:PGPASSWORD_REF_TEST)") {
		t.Fatalf("String() = %s", s)
	}
	// The backend holds the reference sealed, flagged as a reference.
	raw := rawFields(t, home, "ref-pg")
	if f := raw["password"]; !f.Secret || !f.Ref || strings.Contains(f.Value, "PGPASSWORD") {
		t.Fatalf("stored field = %+v", f)
	}
	// List decrypts nothing but tells a reference from a secret.
	l, err := st.List(ctx)
	if err != nil || len(l) != 1 || !l[0].Fields["password"].Ref {
		t.Fatalf("List: %v %v", l, err)
	}
	// Update with the reference changed.
	got.SetRef("password", "file:/run/secrets/pg")
	if err := st.Update(ctx, got); err != nil {
		t.Fatal(err)
	}
	if again, err := st.Get(ctx, "ref-pg"); err != nil || again.Refs()["password"] != "file:/run/secrets/pg" {
		t.Fatalf("after update: %v %v", again, err)
	}
}

// TestRefTampered: a stored reference is authenticated like a secret:
// changed, moved, flagged as a secret (or a secret flagged as a
// reference, which show would print), or its connection pointed at
// another host, the record no longer opens.
func TestRefTampered(t *testing.T) {
	ctx := context.Background()
	st, home := newStore(t)
	c := pgConn("tamper-ref", "password-of-tamper")
	c.SetRef("password", "env:GOOD_VAR")
	c.Set("user_name", "secret-key-material-123", true)
	if err := st.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	other := pgConn("tamper-other", "x")
	other.SetRef("password", "env:EVIL_VAR")
	if err := st.Create(ctx, other); err != nil {
		t.Fatal(err)
	}
	orig := rawFields(t, home, "tamper-ref")
	evil := rawFields(t, home, "tamper-other")
	flip := func(v string) string {
		ct, _ := base64.StdEncoding.DecodeString(v)
		ct[len(ct)-1] ^= 1
		return base64.StdEncoding.EncodeToString(ct)
	}
	tests := []struct {
		name, field string
		mutate      func(map[string]backend.SealedField)
	}{
		{"reference from another connection", "password", func(f map[string]backend.SealedField) { f["password"] = evil["password"] }},
		{"one bit flipped", "password", func(f map[string]backend.SealedField) {
			f["password"] = backend.SealedField{Value: flip(orig["password"].Value), Secret: true, Ref: true}
		}},
		{"reference read as a secret", "password", func(f map[string]backend.SealedField) {
			f["password"] = backend.SealedField{Value: orig["password"].Value, Secret: true}
		}},
		{"secret read as a reference", "user_name", func(f map[string]backend.SealedField) {
			f["user_name"] = backend.SealedField{Value: orig["user_name"].Value, Secret: true, Ref: true}
		}},
		{"reference moved to another field", "user_name", func(f map[string]backend.SealedField) {
			f["user_name"] = orig["password"]
		}},
		{"host pointed elsewhere", "*", func(f map[string]backend.SealedField) { f["host"] = backend.SealedField{Value: "attacker.example"} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := map[string]backend.SealedField{}
			for k, v := range orig {
				f[k] = v
			}
			tc.mutate(f)
			writeFields(t, home, "tamper-ref", f)
			defer writeFields(t, home, "tamper-ref", orig)
			_, err := st.Get(ctx, "tamper-ref")
			var de *store.DecryptError
			if !errors.As(err, &de) || (tc.field != "*" && de.Field != tc.field) {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), "secret-key-material-123") || strings.Contains(err.Error(), "EVIL_VAR") {
				t.Fatal("error holds a stored value")
			}
		})
	}
	if got, err := st.Get(ctx, "tamper-ref"); err != nil || got.Refs()["password"] != "env:GOOD_VAR" {
		t.Fatalf("restored record: %v", err)
	}
}

func TestRefRefused(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"ref with value", `"password": {"ref": "env:X", "value": "y"}`, "alone"},
		{"ref not a string", `"password": {"ref": 3}`, `"ref" must be a string`},
		{"no scheme", `"password": {"ref": "PGPASSWORD"}`, `SCHEME:REST`},
		{"upper-case scheme", `"password": {"ref": "ENV:X"}`, `SCHEME:REST`},
		{"empty rest", `"password": {"ref": "env:"}`, `nothing after the scheme`},
		{"unknown scheme", `"password": {"ref": "nosuch:x"}`, `unknown secret reference scheme "nosuch"`},
		{"bad env name", `"password": {"ref": "env:A-B"}`, `env:VARIABLE`},
		{"relative file", `"password": {"ref": "file:secrets/pg"}`, `ABSOLUTE`},
		{"unclean file", `"password": {"ref": "file:/run/../etc/pg"}`, `clean absolute path`},
		{"control character", `"password": {"ref": "vault:kv/a\u0007#b"}`, `control character`},
		{"host as ref", `"password": "p4ssw0rd-long", "host": {"ref": "env:HOST"}`, `field "host" cannot be a secret reference`},
		{"port as ref", `"password": "p4ssw0rd-long", "port": {"ref": "env:PORT"}`, `field "port" cannot be a secret reference`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := newStore(t)
			data := `{"connection_type": "postgresql", "user_name": "u", ` + tc.data
			if !strings.Contains(tc.data, `"host"`) {
				data += `, "host": "h"`
			}
			data += `}`
			var err error
			c, err := store.DecodeConnectionData("refused", strings.NewReader(data))
			if err == nil {
				err = st.Create(context.Background(), c)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if _, gerr := st.Get(context.Background(), "refused"); !errors.Is(gerr, store.ErrNotFound) {
				t.Fatalf("a refused connection was stored: %v", gerr)
			}
		})
	}
}

// TestRefKnownSchemeNotLinked: a scheme vap provides may be stored by a
// program that does not link its resolver (the CLI storing a vault:
// reference for a Flow); resolving it here names the package to import.
func TestRefKnownSchemeNotLinked(t *testing.T) {
	if _, err := credential.LookupResolver("aws-sm"); err == nil {
		t.Skip("aws-sm is linked into this test")
	}
	st, _ := newStore(t)
	c := pgConn("not-linked", "x")
	c.SetRef("password", "aws-sm:prod/pg#password")
	if err := st.Create(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	_, err := credential.DefaultCache.Resolve(context.Background(), "aws-sm:prod/pg#password")
	var nl *credential.NotLinkedError
	if !errors.As(err, &nl) || !strings.Contains(err.Error(), "credential/awssm") {
		t.Fatalf("err = %v", err)
	}
}

// TestRefRotation: key rotation re-seals references as references, and a
// retired key leaves none behind.
func TestRefRotation(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	c := pgConn("rot-ref", "rotation-ref-secret-1")
	c.SetRef("user_name", "env:ROT_USER")
	if err := st.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	ks, err := st.Keys(ctx)
	if err != nil || len(ks) != 1 || ks[0].Secrets != 2 {
		t.Fatalf("keys: %+v %v", ks, err)
	}
	old := ks[0].ID
	if _, err := st.RotateKey(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.RetireKey(ctx, old); err != nil {
		t.Fatalf("retire the old key after rotation: %v", err)
	}
	got, err := st.Get(ctx, "rot-ref")
	if err != nil || got.Refs()["user_name"] != "env:ROT_USER" || got.Get("password") != "rotation-ref-secret-1" {
		t.Fatalf("after rotation: %v %v", got, err)
	}
}
