// Package orapeer is a local Oracle Database peer: a TNS/TTC server that
// the real github.com/sijms/go-ora/v2 driver (and python-oracledb in thin
// mode) talks to, running statements on an embedded SQLite database. It lets
// vap prove Oracle connections past login without an Oracle server.
//
// See the package's README section in doc comments below for what is and is
// not emulated.
package orapeer
