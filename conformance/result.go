package conformance

// Status is the outcome of one check.
type Status int

const (
	// Pass means the check ran and the connection behaved as required.
	Pass Status = iota
	// Fail means the check ran and found a defect.
	Fail
	// NotProvable means the check cannot be proven where it runs (no server
	// reachable, a server that does not check passwords, …): Detail says why.
	NotProvable
	// NotApplicable means the database has no such feature (NaN in MySQL,
	// exact decimals in SQLite, …): Detail says which.
	NotApplicable
)

// String returns "pass", "fail", "n.p." or "n/a", as printed in tables.
func (s Status) String() string {
	switch s {
	case Pass:
		return "pass"
	case Fail:
		return "fail"
	case NotProvable:
		return "n.p."
	case NotApplicable:
		return "n/a"
	}
	return "unknown"
}

// Result is the outcome of one check on one target.
type Result struct {
	// ID is the check's stable identifier ("kinds/int64"), the key of
	// Target.Gaps.
	ID string
	// Title says what the check proves, in a few words.
	Title string
	// Status is the outcome.
	Status Status
	// Detail explains a failure, the reason a check is not provable or not
	// applicable, or what a pass covered. It never holds a secret.
	Detail string
	// Note, on a pass, is a caveat the matrix prints under the table: what
	// holds only on some paths (a cancel whose context error vap's readers
	// give but database/sql callers do not get). Never a secret.
	Note string
	// Declared is true when Status is NotProvable because the target
	// declared the gap, or the suite knows the database's SQL cannot prove
	// the check.
	Declared bool
}

// Failed reports whether any result is a Fail.
func Failed(rs []Result) bool {
	for _, r := range rs {
		if r.Status == Fail {
			return true
		}
	}
	return false
}
