package stdlib

import (
	"errors"
	"fmt"
	"strings"

	"github.com/vapsql/vap/registry"
)

// familyPackages maps the names and aliases of the connection types vap
// ships to the package that registers them, so that a program which did
// not link one is told what to import. TestFamilyPackages checks it against
// the packages themselves.
var familyPackages = map[string]string{
	"databricks":          "registry/databricks",
	"mssql":               "registry/mssql",
	"sqlserver":           "registry/mssql",
	"mssql+pyodbc":        "registry/mssql",
	"mssql+pymysql":       "registry/mssql",
	"mssql+pymssql":       "registry/mssql",
	"mysql":               "registry/mysql",
	"mariadb":             "registry/mysql",
	"oracle":              "registry/oracle",
	"postgresql":          "registry/postgres",
	"postgres":            "registry/postgres",
	"pg":                  "registry/postgres",
	"sqlalchemy-redshift": "registry/postgres",
	"redshift":            "registry/postgres",
	"redshift+psycopg2":   "registry/postgres",
	"sqlite":              "registry/sqlite",
	"sqlite3":             "registry/sqlite",
}

const modulePath = "github.com/vapsql/vap/"

// familyPackage returns the import path of the package that registers the
// connection type typ (a name or alias vap ships, case-insensitive), or ""
// when vap ships no such type.
func familyPackage(typ string) string {
	if p, ok := familyPackages[strings.ToLower(strings.TrimSpace(typ))]; ok {
		return modulePath + p
	}
	return ""
}

// notLinkedError reports a connection type vap ships that the program did
// not link: its package is not imported.
type notLinkedError struct {
	pkg string // the import path that registers the type
	err error  // the error holding the registry's *registry.UnknownTypeError
}

func (e *notLinkedError) Error() string {
	return fmt.Sprintf("%v; the program does not link that type: add import _ %q (or import github.com/vapsql/vap/driver for every type)", e.err, e.pkg)
}

// Unwrap returns the registry's error, so errors.Is(err,
// registry.ErrUnknownType) holds.
func (e *notLinkedError) Unwrap() error { return e.err }

// linkHint turns an unknown-type error for a type vap ships into a
// notLinkedError naming the package to import; other errors are returned
// unchanged.
func linkHint(err error) error {
	var ut *registry.UnknownTypeError
	if !errors.As(err, &ut) {
		return err
	}
	pkg := familyPackage(ut.Type)
	if pkg == "" {
		return err
	}
	return &notLinkedError{pkg: pkg, err: err}
}
