package postgres_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/postgres"
)

// TestOptionsCheckedAtCreate: an option pgx or the server would refuse at
// the first connect is refused by Validate, when the connection is stored,
// without quoting the value.
func TestOptionsCheckedAtCreate(t *testing.T) {
	base := map[string]string{"host": "db.internal", "user_name": "ben", "password": "pg-opt-canary"}
	bad := map[string]string{
		"target_session_attrs": "primary-please",
		"statement_timeout":    "soon",
		"application_name":     "app\x00name",
		"search_path":          "public\x00evil",
		"connect_timeout":      "+5",
		"sslrootcert":          "\x00",
	}
	for k, v := range bad {
		f := map[string]string{"options." + k: v}
		for bk, bv := range base {
			f[bk] = bv
		}
		err := postgres.PostgreSQL.Validate(params(f))
		if !errors.Is(err, registry.ErrInvalidField) || !strings.Contains(err.Error(), k) || strings.Contains(err.Error(), "pg-opt-canary") || (len(v) > 3 && strings.Contains(err.Error(), v)) {
			t.Errorf("options.%s=%q: %v, want ErrInvalidField naming the option, without its value", k, v, err)
		}
	}
	good := map[string]string{"target_session_attrs": "read-write", "statement_timeout": "5s", "application_name": "etl", "search_path": "a, b", "connect_timeout": "5", "sslmode": "require"}
	for k, v := range good {
		f := map[string]string{"options." + k: v}
		for bk, bv := range base {
			f[bk] = bv
		}
		if err := postgres.PostgreSQL.Validate(params(f)); err != nil {
			t.Errorf("options.%s=%q refused: %v", k, v, err)
		}
	}
}
