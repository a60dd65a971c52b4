// Package driver is vap's all-in-one bundle: importing it registers the
// database/sql driver "vap" (package github.com/vapsql/vap/stdlib) with every
// connection type vap ships and both store backends (the embedded SQLite
// store and the shared PostgreSQL store):
//
//	import _ "github.com/vapsql/vap/driver"
//
//	db, err := sql.Open("vap", "my-postgres-connection")
//
// Its exported names forward to stdlib, so code written against it keeps
// compiling. A program that opens a few connection types links less by
// importing stdlib and only the registry/<family> and store/<backend>
// packages it uses; see examples/lean.
//
// Build tags drop families from the bundle: vap_no_postgres, vap_no_mysql,
// vap_no_sqlite, vap_no_mssql, vap_no_oracle and vap_no_databricks, as in
//
//	go build -tags vap_no_oracle,vap_no_databricks
//
// The store backends stay: the embedded store needs SQLite's engine and the
// shared store pgx, whatever the tags.
package driver
