package testenv

// GoOraCancelRace is why a test that cancels a go-ora statement does not
// run under the race detector: go-ora v2.8.24 writes its break flag
// (network.Session.breakConn) under a lock in BreakConnection, on the
// goroutine that watches the context, and reads it without the lock in
// IsBreak, on the goroutine reading the answer, so the detector may report
// that race (seen in odbc's TestCanceledIsContextError). The cancel tests
// run without -race.
const GoOraCancelRace = "go-ora v2.8.24 races on its break flag when it cancels a statement " +
	"(network.Session.breakConn: written under a lock by BreakConnection, read without it by IsBreak); " +
	"proven without -race"
