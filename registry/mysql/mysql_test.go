package mysql_test

import (
	"testing"
	"time"

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/mysql"
)

func TestConfig(t *testing.T) {
	tests := []struct {
		name   string
		fields map[string]string
		addr   string
		check  func(t *testing.T, user, pass, db, tls string, loc *time.Location)
	}{
		{"defaults", map[string]string{"host": "db", "user_name": "u", "password": `p@ss:w/o;rd "q" %+\ 'x' ü`}, "db:3306", func(t *testing.T, user, pass, db, tls string, loc *time.Location) {
			if user != "u" || pass != `p@ss:w/o;rd "q" %+\ 'x' ü` || tls != "preferred" || loc != time.UTC {
				t.Errorf("user %q tls %q loc %v", user, tls, loc)
			}
		}},
		{"bracketed IPv6", map[string]string{"host": "[::1]", "user_name": "u", "port": "3307"}, "[::1]:3307", nil},
		{"bare IPv6", map[string]string{"host": "::1", "user_name": "u"}, "[::1]:3306", nil},
		{"options", map[string]string{"host": "h", "user_name": "u", "dbname": "d/x", "options.tls": "skip-verify", "options.loc": "Europe/Paris"}, "h:3306", func(t *testing.T, user, pass, db, tls string, loc *time.Location) {
			if db != "d/x" || tls != "skip-verify" || loc.String() != "Europe/Paris" {
				t.Errorf("db %q tls %q loc %v", db, tls, loc)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := mysql.Config(registry.NewParams("m", "mysql", tc.fields))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Addr != tc.addr || cfg.Net != "tcp" || !cfg.ParseTime {
				t.Errorf("addr %q net %q parseTime %v", cfg.Addr, cfg.Net, cfg.ParseTime)
			}
			if tc.check != nil {
				tc.check(t, cfg.User, cfg.Passwd, cfg.DBName, cfg.TLSConfig, cfg.Loc)
			}
		})
	}
}
