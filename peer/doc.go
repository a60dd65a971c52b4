// Package peer is the home of vap's local protocol peers: servers, written
// in Go, that speak a database's wire protocol well enough for that
// database's real Go driver to run against them, for the databases that
// cannot run on a test machine (a Databricks SQL warehouse; SQL Server and
// Oracle where no server is at hand). Each peer runs the statements on
// embedded SQLite, rewriting the few spellings whose meaning differs, so
// tests of vap, of its conformance suite and of a Flow get real answers
// without a server, a licence or a network.
//
// This package has no code; the peers and what they share are its
// subpackages:
//
//   - dbsqlpeer: a Databricks SQL warehouse (HiveServer2 Thrift over HTTP,
//     as databricks-sql-go speaks it), run out of process by cmd/dbsqlpeer;
//   - sqltext: the SQL tokenizer and token helpers the peers' rewrites use;
//   - observe: watching a peer from outside SQL (the statements running
//     now, ending every session) over HTTP, for the conformance suite's
//     Observer;
//   - peerproc: running a peer in a child process of a test, so the
//     test's process holds only the client.
//
// # What makes a peer faithful
//
// A peer is a stand-in, and a stand-in that only agrees with the code it
// was written for proves nothing. A peer is faithful when:
//
//   - the database's own, unmodified client drives it: the driver vap uses
//     (and, where there is one, an independent client such as the vendor's
//     command-line tool or another language's driver) connects,
//     authenticates, runs statements, binds parameters, pages results and
//     cancels against the peer exactly as against the server;
//   - what it answers is what the server answers, byte for byte where the
//     protocol fixes it: the same types, the same error classes and codes,
//     the same behavior at the edges (a wrong password, a closed session,
//     a canceled statement, a result larger than a page);
//   - what it cannot do it refuses with the server's error, never a
//     silent different answer;
//   - it holds its secrets as a server does: a wrong token or password is
//     refused and no message echoes one.
//
// A peer's package documentation lists what it does not emulate.
package peer
