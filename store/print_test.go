package store_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
)

func sprintf(verb string, v any) string { return fmt.Sprintf(verb, v) }

func hexOf(s string) string { return hex.EncodeToString([]byte(s)) }

func TestSlogNeverLogsSecret(t *testing.T) {
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		l := slog.New(h)
		c := pgConn("pg", "slog-canary-55")
		l.Info("conn", "c", c, "v", *c, "fields", c.Fields, "pw", c.Fields["password"], "params", c.Params())
	}
	if strings.Contains(buf.String(), "slog-canary-55") {
		t.Fatalf("slog leaked: %s", buf.String())
	}
}

func TestJSONNeverEncodesSecret(t *testing.T) {
	c := pgConn("pg", "json-canary-12")
	for _, v := range []any{c, *c, c.Fields, c.Fields["password"]} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "json-canary-12") {
			t.Errorf("json of %T leaks: %s", v, b)
		}
	}
}

func TestStoreNeverPrintsURLPassword(t *testing.T) {
	for _, u := range []string{
		"postgres://root:store-url-canary@db.internal/vap",
		"postgres://root@db.internal/vap?password=store-url-canary",
		"postgres://root@db.internal/vap?sslmode=require&sslpassword=store-url-canary",
		"postgres://root@db.internal/vap?PASSWORD=store-url-canary",
		"host=db.internal user=root password=store-url-canary dbname=vap",
		"host=db.internal password='store-url-canary x'",
	} {
		st := store.Open(store.WithURL(u))
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x"} {
			if s := fmt.Sprintf(verb, st); strings.Contains(s, "store-url-canary") || strings.Contains(s, hexOf("store-url-canary")) {
				t.Errorf("%s of %s leaks: %s", verb, u, s)
			}
		}
		if s := fmt.Sprint(st); !strings.Contains(s, "db.internal") {
			t.Errorf("String lost the host: %s", s)
		}
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "store", st)
		if strings.Contains(buf.String(), "store-url-canary") {
			t.Errorf("slog leaks: %s", buf.String())
		}
	}
}
