package registry

import "strconv"

// PlaceholderStyle is how a driver spells bind parameters.
type PlaceholderStyle int

const (
	// Question is "?" for every parameter (MySQL, SQLite, Databricks).
	Question PlaceholderStyle = iota
	// Dollar is "$1", "$2", … (PostgreSQL, Redshift).
	Dollar
	// AtP is "@p1", "@p2", … (SQL Server).
	AtP
	// Colon is ":1", ":2", … (Oracle).
	Colon
)

// Placeholder returns the n-th (1-based) placeholder in this style.
func (s PlaceholderStyle) Placeholder(n int) string {
	switch s {
	case Dollar:
		return "$" + strconv.Itoa(n)
	case AtP:
		return "@p" + strconv.Itoa(n)
	case Colon:
		return ":" + strconv.Itoa(n)
	default:
		return "?"
	}
}

// String names the style.
func (s PlaceholderStyle) String() string {
	switch s {
	case Dollar:
		return "dollar"
	case AtP:
		return "at-p"
	case Colon:
		return "colon"
	default:
		return "question"
	}
}
