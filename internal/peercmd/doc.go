// Package peercmd is what the local peers' commands (cmd/dbsqlpeer,
// cmd/tdspeer, cmd/orapeer) share: the SIGINT/SIGTERM context, the flag
// parsing rules (-h exits 0, a parse error or a stray argument exits 2),
// the -until-stdin-eof flag that stops the peer when the parent process's
// pipe closes, and the exit codes. Each command declares its own flags on
// the FlagSet it gets from NewFlagSet, checks them, and serves its peer.
//
// Its subpackage peercmdtest runs such a command in process for tests.
package peercmd
