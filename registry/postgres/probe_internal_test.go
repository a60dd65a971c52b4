package postgres

import (
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/vapsql/vap/registry"
)

// TestProbeOnlyWhatCheckCannotTell: a connection whose options check
// validates in full is not parsed by pgx when it is checked (a Flow's cold
// start pays for one pgx parse, the connector's, not two); an option only
// pgx can judge still is, and a value pgx refuses is still refused.
func TestProbeOnlyWhatCheckCannotTell(t *testing.T) {
	calls := 0
	probeConfig = func(p registry.Params, defPort int, defSSL string) (*pgx.ConnConfig, error) {
		calls++
		return Config(p, defPort, defSSL)
	}
	t.Cleanup(func() { probeConfig = Config })

	for _, tc := range []struct {
		opts  map[string]string
		probe bool
		ok    bool
	}{
		{map[string]string{"options.sslmode": "disable"}, false, true},
		{map[string]string{"options.sslmode": "verify-full", "options.sslrootcert": "/etc/ssl/x.pem", "options.search_path": "a,b", "options.application_name": "flow", "options.statement_timeout": "5 s", "options.target_session_attrs": "read-write"}, false, true},
		{map[string]string{"options.connect_timeout": "5"}, true, true},
		{map[string]string{"options.connect_timeout": "99999999999999999999"}, true, false},
	} {
		calls = 0
		f := map[string]string{"host": "db.example.com", "user_name": "u"}
		for k, v := range tc.opts {
			f[k] = v
		}
		err := PostgreSQL.Validate(registry.NewParams("c", "postgresql", f))
		if (err == nil) != tc.ok {
			t.Errorf("%v: Validate = %v, want ok=%v", tc.opts, err, tc.ok)
		}
		if (calls > 0) != tc.probe {
			t.Errorf("%v: %d probes, want probe=%v", tc.opts, calls, tc.probe)
		}
	}
}
