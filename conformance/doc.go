// Package conformance is the suite every vap connection must pass: ping, a
// SELECT of every normalized kind, native parameter binding, a streamed
// 100,000-row result, transactions, prepared statements, cancellation that
// stops the query on the server, syntax errors, 32 goroutines on one
// *sql.DB, recovery after the server drops connections, password updates,
// deletion, and no secret in any error.
//
// A Target names a stored connection and declares, with a reason, the checks
// that cannot be proven where it runs. Run drives the suite as subtests of a
// *testing.T; Check returns the results without a *testing.T, and WriteTable
// prints them (the CLI's `vap conn test --conformance NAME`). Where the
// database's SQL cannot see or end another session (Databricks), a Target's
// Observer watches the server from outside instead: the cancel and deadline
// checks ask it whether the statement still runs, and pool-recovery has it
// end the server's sessions (dbsqlpeer.Remote does both on the local peer).
//
// The cancel and deadline checks require the call to return the context's
// error. Where the real driver returns its own error for the statement it
// stopped (go-ora's ORA-01013, recognized by registry.Type.Canceled), they
// prove the server stopped it through database/sql, then run the statement
// again through vap's reader (odbc.StreamDB), which must return an error
// matching both; the pass carries a Note (pass* in the matrix) saying that
// database/sql callers get the driver's error alone.
//
// Run the suite against a connection of your own, in the default store:
//
//	go test ./conformance -run TestConnection -args -conn NAME
//	VAP_CONFORMANCE_CONN=NAME go test ./conformance -run TestConnection
//
// The suite writes: it creates and drops a table named
// vap_conformance_<random> in the connection's database, and it copies the
// connection into a scratch store in a temporary directory to exercise
// password updates and deletion, so the stored connection is never changed.
package conformance
