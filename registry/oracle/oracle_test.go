package oracle_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/oracle"
)

func params(extra map[string]string) registry.Params {
	f := map[string]string{"host": "db.example.com", "user_name": "scott", "password": password, "dbname": "XEPDB1"}
	for k, v := range extra {
		f[k] = v
	}
	return registry.NewParams("c", "oracle", f)
}

func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		name    string
		extra   map[string]string
		service string
		sid     string
		port    int
		ssl     bool
	}{
		{name: "defaults", service: "XEPDB1", port: 1521},
		{name: "sid and port", extra: map[string]string{"dbname": "", "sid": "ORCL", "port": "1522"}, sid: "ORCL", port: 1522},
		{name: "colon in user", extra: map[string]string{"user_name": "a:b"}, service: "XEPDB1", port: 1521},
		{name: "ssl", extra: map[string]string{"options.ssl": "yes"}, service: "XEPDB1", port: 1521, ssl: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := params(tc.extra)
			if err := oracle.Oracle.Validate(p); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			cfg, err := oracle.Config(p)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.ServiceName != tc.service || cfg.SID != tc.sid || cfg.Servers[0].Port != tc.port || cfg.SSL != tc.ssl {
				t.Errorf("service %q sid %q port %d ssl %v", cfg.ServiceName, cfg.SID, cfg.Servers[0].Port, cfg.SSL)
			}
			if cfg.UserID != p.Get("user_name") || cfg.Password != password {
				t.Error("user or password not read back unchanged by go-ora")
			}
		})
	}
}

func TestInvalid(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra map[string]string
		field string
	}{
		{"no service", map[string]string{"dbname": ""}, "dbname"},
		{"no password", map[string]string{"password": ""}, "password"},
		{"bad ssl", map[string]string{"options.ssl": "perhaps"}, "options.ssl"},
		{"bad timeout", map[string]string{"options.timeout": "-1"}, "options.timeout"},
		{"trace refused", map[string]string{"options.trace_file": "/tmp/x"}, "options.trace_file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := oracle.Oracle.Validate(params(tc.extra))
			if !errors.Is(err, registry.ErrInvalidField) {
				t.Fatalf("err = %v, want a field error", err)
			}
			if !strings.Contains(err.Error(), tc.field) || strings.Contains(err.Error(), password) {
				t.Errorf("error should name %s and hold no password: %v", tc.field, err)
			}
		})
	}
}

// TestParseErrorHidesURL drives go-ora's parser into an error (a host that
// net.SplitHostPort refuses) and checks the message holds no credential.
func TestParseErrorHidesURL(t *testing.T) {
	_, err := oracle.Config(params(map[string]string{"host": "a]b"}))
	if err == nil {
		t.Fatal("go-ora accepted a malformed host")
	}
	if strings.Contains(err.Error(), password) || strings.Contains(err.Error(), "scott") {
		t.Errorf("parse error leaks credentials: %v", err)
	}
}

// TestLanguageTerritoryChecked: go-ora writes options.language and
// options.territory into an ALTER SESSION statement between quotes; a
// value that is not an NLS name is refused before it gets there.
func TestLanguageTerritoryChecked(t *testing.T) {
	for _, k := range []string{"language", "territory"} {
		for _, v := range []string{"AMERICAN' NLS_DATE_FORMAT='YYYY", "x'", "a\x00", "", " AMERICAN", "AMERICAN;", strings.Repeat("A", 100)} {
			if err := oracle.Oracle.Validate(params(map[string]string{"options." + k: v})); !errors.Is(err, registry.ErrInvalidField) {
				t.Errorf("options.%s=%q: %v, want ErrInvalidField", k, v, err)
			}
		}
		for _, v := range []string{"AMERICAN", "BRAZILIAN PORTUGUESE", "united kingdom", "GUINEA-BISSAU"} {
			if err := oracle.Oracle.Validate(params(map[string]string{"options." + k: v})); err != nil {
				t.Errorf("options.%s=%q refused: %v", k, v, err)
			}
		}
	}
}
