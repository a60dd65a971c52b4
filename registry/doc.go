// Package registry describes the connection types vap knows: their names and
// aliases, the fields they require, which fields are secret, their default
// port, their placeholder style and ping query, and how to build the real
// driver's connector from a connection's fields.
//
// The registry never reads the connection store or the environment: it is
// handed a connection's fields as [Params] and returns a driver.Connector.
//
// Families live in subpackages (registry/postgres, registry/mysql,
// registry/sqlite, …) that register their types in [Default] from init, so
// heavy driver dependencies stay out of this package. Import
// github.com/vapsql/vap/registry/all (the vap driver does) to get them all.
package registry
