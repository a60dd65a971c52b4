// Package observe is the plumbing for watching a local protocol peer from
// outside SQL, as a server's administrator can and no SQL session can: list
// the statements running now, and end every session (a server restart, a
// warehouse stop, killed sessions). The conformance suite needs both to
// prove that cancel and deadlines stop the server's work and that a pool
// recovers from sessions the server ended (conformance.Observer).
//
// A peer implements Observable. Handler serves it over HTTP, with a bearer
// token, at RunningPath and DropPath, so a peer running in another process
// can be observed too; Remote is the client, and its method set is that of
// conformance.Observer. Call is the JSON-over-HTTP call underneath Remote,
// for peers whose observation endpoints copy a real server's REST API (the
// Databricks peer's Query History and warehouse stop).
//
// Errors never carry the token.
package observe
