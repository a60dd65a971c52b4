// Package stdlib is the vap database/sql driver. Importing it registers the
// driver "vap":
//
//	import (
//		_ "github.com/vapsql/vap/stdlib"
//		_ "github.com/vapsql/vap/registry/postgres" // the connection types the Flow opens
//		_ "github.com/vapsql/vap/store/postgres"    // the store backend VAP_STORE names
//	)
//
//	db, err := sql.Open("vap", "my-postgres-connection")
//
// The data source name is a connection name. sql.Open resolves it once (from
// VAP_CONN_<NAME> or the connection store), builds the real driver's
// connector from the stored fields, and every physical connection is the
// real driver's own, returned unwrapped: no per-query overhead.
//
// Before each new physical connection the connector asks the store for the
// connection's version, a cheap indexed read that decrypts nothing; when the
// connection was updated (a new password, say), it is resolved again, so new
// connections use the new settings while open ones carry on.
//
// The package links no connection type and no store backend: a program
// imports the registry/<family> packages and the store/<backend> packages it
// uses, and nothing else is compiled in. A connection whose type is not
// linked, or a store URL whose backend is not, fails with an error naming
// the package to import. github.com/vapsql/vap/driver is the all-in-one
// bundle that imports this package, every connection type and both store
// backends.
//
// A connection whose fields include secret references ({"ref":
// "env:PGPASSWORD"}) or an auth_type its type mints (aws-iam, azure-ad)
// gets those values from package credential's cache at each new physical
// connection; its real connector is rebuilt when they change, and a
// connection whose credential bounds its session's life is retired by the
// pool in time (its connection is then wrapped; Unwrap() driver.Conn gives
// the real one). See package credential. A failure's ConnectError.Step
// names the step: reference resolution, token minting, network, TLS,
// authentication…
//
// NewConnector and NewConnectorContext serve sql.OpenDB and accept options
// such as WithStore, WithRegistry and WithCredentialCache.
package stdlib
