package odbc

import "github.com/vapsql/vap/coltype"

// colSpec is how one column's driver values become its kind; the
// connection's registry.Type classifies it.
type colSpec = coltype.Spec

// timeMode says how a time value becomes a UTC time.Time.
type timeMode = coltype.TimeMode

const (
	tmWall    = coltype.Wall    // no time zone: keep the wall clock, in UTC
	tmInstant = coltype.Instant // a point in time: convert to UTC
	tmClock   = coltype.Clock   // a time of day: January 1 of year 0, UTC
)
