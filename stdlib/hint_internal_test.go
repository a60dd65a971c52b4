package stdlib

import (
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/vapsql/vap/registry"
	_ "github.com/vapsql/vap/registry/all" // every type vap ships
)

// TestFamilyPackages checks the not-linked hint table against the types the
// families register: every name and alias maps to the package that defines
// its Connector, and the table names no type that does not exist.
func TestFamilyPackages(t *testing.T) {
	seen := map[string]bool{}
	for _, typ := range registry.Default.Types() {
		fn := runtime.FuncForPC(reflect.ValueOf(typ.Connector).Pointer()).Name()
		// "github.com/vapsql/vap/registry/postgres.newType.func1"
		slash := strings.LastIndex(fn, "/")
		pkg := fn[:slash+strings.Index(fn[slash:], ".")]
		for _, n := range typ.Names() {
			seen[strings.ToLower(n)] = true
			if got := familyPackage(n); got != pkg {
				t.Errorf("type %q: hint %q, registered by %q", n, got, pkg)
			}
		}
	}
	for n := range familyPackages {
		if !seen[n] {
			t.Errorf("the hint table names %q, which no family registers", n)
		}
	}
	if familyPackage("no-such-type") != "" {
		t.Error("a type vap does not ship got a hint")
	}
}
