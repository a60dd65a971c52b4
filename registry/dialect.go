package registry

import (
	"database/sql"
	"time"
)

// Dialect is the SQL of one family of databases that the conformance suite
// needs to prove a connection of the type: literals and casts for each kind
// of value, a long statement to cancel, a way to see and end other
// sessions, the isolation levels it runs. A Dialect is written so it is
// right on the real database, not only on a local peer.
//
// Kind keys are the suite's: "int64", "float64", "decimal", "text",
// "binary", "bool", "date", "time", "timestamp", "timestamptz". Check IDs
// are those of conformance.Checks.
type Dialect struct {
	// Family names the database family in messages ("PostgreSQL").
	Family string
	// Cast maps a kind to an expression with one %s where the literal goes;
	// a kind missing here must be in NA.
	Cast map[string]string
	// NA: check ID → why the database has no such feature.
	NA map[string]string
	// NP: check ID → why the suite cannot prove it with this SQL; a
	// conformance.Target with an Observer proves the observed checks anyway.
	NP map[string]string
	// Specials maps "NaN", "+Inf", "-Inf" to an expression; missing ones are
	// not representable.
	Specials map[string]string
	// From ends a SELECT of expressions that reads no table: "" where the
	// database allows none, " FROM DUAL" on Oracle.
	From string
	// EmptyIsNull: the database stores the empty string as NULL (Oracle),
	// so a text '' reads back as NULL.
	EmptyIsNull bool
	// Literal writes the literal of a value of one of the suite's kinds,
	// given as the suite writes it ("TRUE", "2024-02-29", hex digits for
	// binary); nil, or "" returned, means standard SQL: TRUE and FALSE bare,
	// binary through HexLiteral, the rest quoted. SQL Server needs N'…' for
	// text outside its code page and has no bare TRUE.
	Literal func(kind, value string) string
	// HexLiteral writes bytes as a binary literal.
	HexLiteral func(b []byte) string
	// BindCast maps a kind to an expression with one %s for the placeholder.
	BindCast map[string]string
	// Series returns a query of n rows (id, 200-character text).
	Series func(n int) string
	// Sleep is a statement that runs about a minute or more; %s is a marker
	// placed in a comment so the statement can be recognized.
	Sleep string
	// Running counts the other sessions running a statement whose text
	// matches the LIKE pattern bound as the first parameter; "" for an
	// embedded engine.
	Running string
	// SessionID returns the current session's id, Kill ends session id.
	SessionID string
	Kill      func(id int64) string
	// Table is a CREATE TABLE statement for a table %s (id, v).
	Table string
	// Isolation returns the current transaction's isolation level; "" when
	// it cannot be read.
	Isolation string
	// IsolationLag is how long a new transaction takes to show in the
	// Isolation query.
	IsolationLag time.Duration
	// LevelName is the level the database runs for each requested level;
	// a missing level is refused.
	LevelName map[sql.IsolationLevel]string
	// MissingGrant returns, for an error the server gives a user who lacks
	// a privilege, the grant that would allow the statement ("the PROCESS
	// privilege: GRANT PROCESS ON *.* TO …"); "" for any other error. A
	// check that cannot read something without that grant (the isolation
	// level) is then not provable rather than failed. Optional.
	MissingGrant func(err error) string
}
