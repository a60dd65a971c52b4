// Package registry describes the connection types vap knows: their names and
// aliases, the fields they require, which fields are secret, their default
// port, their placeholder style and ping query, and how to build the real
// driver's connector from a connection's fields.
//
// A Type also carries what the rest of vap needs to know about its family,
// so that everything about a database lives in one package: the SQL the
// conformance suite speaks to it (Dialect), how its result columns read
// (Columns, DescribeColumns, DriverRows), how a statement is stopped on
// its server (Cancel) and how rows are written into its tables by vap copy
// (Load). Nothing else in vap switches on type names or driver packages.
//
// The registry never reads the connection store or the environment: it is
// handed a connection's fields as [Params] and returns a driver.Connector.
//
// Families live in subpackages (registry/postgres, registry/mysql,
// registry/sqlite, …) that register their types in [Default] from init, so
// heavy driver dependencies stay out of this package. Import the families a
// program uses, or github.com/vapsql/vap/registry/all (the driver bundle
// github.com/vapsql/vap/driver does) to get them all.
package registry
