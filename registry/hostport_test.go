package registry_test

import (
	"errors"
	"testing"

	"github.com/vapsql/vap/registry"
)

// TestValidateHostAndPort: a host that would name several hosts or carry a
// port, and a port that is not written plainly, are refused; host names and
// IP literals are accepted.
func TestValidateHostAndPort(t *testing.T) {
	typ := fakeType("t")
	check := func(host, port string) error {
		f := map[string]string{"host": host}
		if port != "" {
			f["port"] = port
		}
		return typ.Validate(registry.NewParams("c", "t", f))
	}
	for _, h := range []string{"a,b", "h:5432", "db.internal:5432", "[::1]:5432", "a;b", "h\x00", "ho\x1bst", "[h]", "::1]", "-h"} {
		if err := check(h, ""); !errors.Is(err, registry.ErrInvalidField) {
			t.Errorf("host %q: %v, want ErrInvalidField", h, err)
		}
	}
	for _, h := range []string{"db.internal", "localhost", "10.0.0.1", "::1", "[::1]", "fe80::1%eth0", "my_host-1.example.com"} {
		if err := check(h, ""); err != nil {
			t.Errorf("host %q refused: %v", h, err)
		}
	}
	for _, p := range []string{"+5432", "0005432", "05432", " 5432", "5432 ", "0", "65536", "1e3", "0x10", "-1", "５４３２"} {
		if err := check("h", p); !errors.Is(err, registry.ErrInvalidField) {
			t.Errorf("port %q: %v, want ErrInvalidField", p, err)
		}
	}
	for _, p := range []string{"1", "5432", "65535"} {
		if err := check("h", p); err != nil {
			t.Errorf("port %q refused: %v", p, err)
		}
	}
}
