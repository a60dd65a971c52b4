package odbc

// Summary is what a statement reports besides its rows. Pass
// WithSummary(&s) among a call's options to have it filled.
type Summary struct {
	// Columns are the result's columns, set when the statement starts
	// returning them: a result without rows has them too, and a statement
	// that returns no rows (INSERT, CREATE …) has none.
	Columns []Column
	// Tag is the server's command tag ("INSERT 0 3", "CREATE TABLE",
	// "SELECT 5") where the protocol has one (PostgreSQL), else "".
	Tag string
	// RowsAffected is the number of rows the statement changed or returned,
	// as its command tag says; -1 when the driver does not say.
	RowsAffected int64
}

// WithSummary fills s when the statement ends, also when it ends early
// (s.Columns is set as soon as they are known). Meant for a single call.
func WithSummary(s *Summary) Option {
	return func(c *config) {
		c.summary = s
		*s = Summary{RowsAffected: -1}
	}
}
