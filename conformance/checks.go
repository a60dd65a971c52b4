package conformance

import "slices"

// check is one entry of the suite.
type check struct {
	id    string
	title string
	// server: the check needs a working session (it is not run when ping
	// fails); dialect: it needs SQL specific to the database.
	server, dialect bool
	// observed: a Target.Observer proves the check where the dialect's SQL
	// cannot (its np entry does not apply).
	observed bool
	run      func(e *env) outcome
}

// outcome is what a check's run returns.
type outcome struct {
	status Status
	detail string
	note   string // a pass's caveat (Result.Note)
}

func pass(detail string) outcome       { return outcome{status: Pass, detail: detail} }
func fail(detail string) outcome       { return outcome{status: Fail, detail: detail} }
func notProvable(why string) outcome   { return outcome{status: NotProvable, detail: why} }
func notApplicable(why string) outcome { return outcome{status: NotApplicable, detail: why} }
func failErr(what string, err error) outcome {
	return outcome{status: Fail, detail: what + ": " + err.Error()}
}

// suite lists the checks in the order they run. The redaction check is last:
// it inspects every error the others produced.
func suite() []check {
	cs := []check{
		{id: "resolve", title: "name resolves to its type and native placeholder", run: checkResolve},
		{id: "ping", title: "ping with the type's ping query", server: true, run: checkPing},
	}
	cs = append(cs, kindChecks()...)
	cs = append(cs,
		check{id: "bind", title: "parameters bound with the native placeholder", server: true, dialect: true, run: checkBind},
		check{id: "stream-100k", title: "100,000-row result read without growing memory", server: true, dialect: true, run: checkStream},
		check{id: "tx", title: "transaction commit and rollback", server: true, dialect: true, run: checkTx},
		check{id: "tx-isolation", title: "isolation levels honoured or refused", server: true, dialect: true, run: checkIsolation},
		check{id: "prepare", title: "prepared statement reused, also across connections", server: true, dialect: true, run: checkPrepare},
		check{id: "cancel", title: "context cancellation stops the query on the server", server: true, dialect: true, observed: true, run: checkCancel},
		check{id: "deadline", title: "context deadline stops the query on the server", server: true, dialect: true, observed: true, run: checkDeadline},
		check{id: "syntax-error", title: "syntax error returns an error; the session stays usable", server: true, run: checkSyntax},
		check{id: "concurrency", title: "32 goroutines share one *sql.DB", server: true, dialect: true, run: checkConcurrency},
		check{id: "pool-recovery", title: "pool recovers after the server drops its connections", server: true, dialect: true, observed: true, run: checkPoolRecovery},
		check{id: "password-update", title: "new connections use the updated stored password or token", server: true, run: checkPasswordUpdate},
		check{id: "delete", title: "deleted connection gives the exact missing-name error", run: checkDelete},
		check{id: "redaction", title: "no secret in any error produced", run: checkRedaction},
	)
	return cs
}

// Checks returns the IDs of every check, in the order they run.
func Checks() []string {
	var out []string
	for _, c := range suite() {
		out = append(out, c.id)
	}
	return out
}

// ServerChecks returns the IDs of the checks that need a reachable server:
// declare them as Gaps for a target whose database cannot run here.
func ServerChecks() []string {
	var out []string
	for _, c := range suite() {
		if c.server {
			out = append(out, c.id)
		}
	}
	return out
}

// knownCheck reports whether id names a check.
func knownCheck(id string) bool { return slices.Contains(Checks(), id) }
