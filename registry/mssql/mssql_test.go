package mssql_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/microsoft/go-mssqldb/msdsn"

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/mssql"
)

func params(extra map[string]string) registry.Params {
	f := map[string]string{"host": "db.example.com", "user_name": "u", "password": password}
	for k, v := range extra {
		f[k] = v
	}
	return registry.NewParams("c", "mssql", f)
}

func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		name    string
		extra   map[string]string
		encrypt msdsn.Encryption
		port    uint64
		db      string
		check   func(t *testing.T, c msdsn.Config)
	}{
		{name: "safe default", encrypt: msdsn.EncryptionRequired, port: 1433},
		{name: "disable", extra: map[string]string{"options.encrypt": "disable", "port": "14330", "dbname": "d"}, encrypt: msdsn.EncryptionDisabled, port: 14330, db: "d"},
		{name: "login only", extra: map[string]string{"options.encrypt": "false"}, encrypt: msdsn.EncryptionOff, port: 1433},
		{name: "strict", extra: map[string]string{"options.encrypt": "strict"}, encrypt: msdsn.EncryptionStrict, port: 1433},
		{name: "trust", extra: map[string]string{"options.trustservercertificate": "true"}, encrypt: msdsn.EncryptionRequired, port: 1433,
			check: func(t *testing.T, c msdsn.Config) {
				if !c.TLSConfig.InsecureSkipVerify {
					t.Error("trustservercertificate=true did not skip verification")
				}
			}},
		{name: "verifies by default", encrypt: msdsn.EncryptionRequired, port: 1433,
			check: func(t *testing.T, c msdsn.Config) {
				if c.TLSConfig == nil || c.TLSConfig.InsecureSkipVerify {
					t.Error("the default does not verify the server certificate")
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := params(tc.extra)
			if err := mssql.MSSQL.Validate(p); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			c, err := mssql.Config(p)
			if err != nil {
				t.Fatal(err)
			}
			if c.Encryption != tc.encrypt {
				t.Errorf("Encryption = %v, want %v", c.Encryption, tc.encrypt)
			}
			if c.Port != tc.port || c.Host != "db.example.com" || c.Database != tc.db {
				t.Errorf("host/port/db = %s/%d/%q", c.Host, c.Port, c.Database)
			}
			if c.User != "u" || c.Password != password {
				t.Error("user or password not carried over unchanged")
			}
			if tc.check != nil {
				tc.check(t, c)
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
		{"bad encrypt", map[string]string{"options.encrypt": "maybe"}, "options.encrypt"},
		{"bad trust", map[string]string{"options.trustservercertificate": "sure"}, "options"},
		{"unknown option", map[string]string{"options.log": "255"}, "options.log"},
		{"bad port", map[string]string{"port": "70000"}, "port"},
		{"no host", map[string]string{"host": ""}, "host"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := mssql.PyODBC.Validate(params(tc.extra))
			if !errors.Is(err, registry.ErrInvalidField) {
				t.Fatalf("err = %v, want a field error", err)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("error does not name %s: %v", tc.field, err)
			}
			if strings.Contains(err.Error(), password) {
				t.Error("error holds the password")
			}
		})
	}
}

func TestTypes(t *testing.T) {
	for _, n := range []string{"mssql", "sqlserver", "mssql+pyodbc", "mssql+pymysql", "mssql+pymssql"} {
		typ := registry.Lookup(n)
		if typ == nil {
			t.Fatalf("%s is not registered", n)
		}
		if typ.DefaultPort != 1433 || !typ.IsSecret("password") || typ.Placeholder(2) != "@p2" {
			t.Errorf("%s: port %d, password secret %v, placeholder %s", n, typ.DefaultPort, typ.IsSecret("password"), typ.Placeholder(2))
		}
	}
}
