package registry_test

import (
	"fmt"

	"github.com/vapsql/vap/registry"
	_ "github.com/vapsql/vap/registry/all"
)

func ExampleLookup() {
	for _, name := range []string{"postgresql", "redshift", "mysql", "sqlite"} {
		t := registry.Lookup(name)
		fmt.Println(t.Name, t.DefaultPort, t.Placeholder(1), t.Placeholder(2))
	}
	// Output:
	// postgresql 5432 $1 $2
	// sqlalchemy-redshift 5439 $1 $2
	// mysql 3306 ? ?
	// sqlite 0 ? ?
}
