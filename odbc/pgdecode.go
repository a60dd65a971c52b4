package odbc

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
)

// Binary decoders of PostgreSQL values (the formats of the server's *send
// functions). Each appends one non-NULL value.

var (
	errPgLength   = errors.New("malformed binary value")
	errPgInfinity = errors.New("infinite date or timestamp has no time.Time value")
)

// pgEpochMicros is 2000-01-01 00:00:00 UTC, PostgreSQL's epoch, in Unix
// microseconds.
const pgEpochMicros = 946684800 * 1000000

func decBool(c *colData, v []byte) error {
	if len(v) != 1 {
		return errPgLength
	}
	c.appendBool(v[0] != 0)
	return nil
}

func decInt2(c *colData, v []byte) error {
	if len(v) != 2 {
		return errPgLength
	}
	c.appendInt64(int64(int16(binary.BigEndian.Uint16(v))))
	return nil
}

func decInt4(c *colData, v []byte) error {
	if len(v) != 4 {
		return errPgLength
	}
	c.appendInt64(int64(int32(binary.BigEndian.Uint32(v))))
	return nil
}

func decOID(c *colData, v []byte) error {
	if len(v) != 4 {
		return errPgLength
	}
	c.appendInt64(int64(binary.BigEndian.Uint32(v)))
	return nil
}

func decInt8(c *colData, v []byte) error {
	if len(v) != 8 {
		return errPgLength
	}
	c.appendInt64(int64(binary.BigEndian.Uint64(v)))
	return nil
}

func decFloat4(c *colData, v []byte) error {
	if len(v) != 4 {
		return errPgLength
	}
	c.appendFloat64(widen32(math.Float32frombits(binary.BigEndian.Uint32(v))))
	return nil
}

func decFloat8(c *colData, v []byte) error {
	if len(v) != 8 {
		return errPgLength
	}
	c.appendFloat64(math.Float64frombits(binary.BigEndian.Uint64(v)))
	return nil
}

// decTimestamp decodes timestamp and timestamptz: microseconds since
// 2000-01-01 (UTC for timestamptz, the wall clock for timestamp).
func decTimestamp(c *colData, v []byte) error {
	if len(v) != 8 {
		return errPgLength
	}
	us := int64(binary.BigEndian.Uint64(v))
	if us == math.MaxInt64 || us == math.MinInt64 {
		return errPgInfinity
	}
	c.appendTime(time.UnixMicro(us + pgEpochMicros).UTC())
	return nil
}

// decDate decodes a date: days since 2000-01-01.
func decDate(c *colData, v []byte) error {
	if len(v) != 4 {
		return errPgLength
	}
	d := int32(binary.BigEndian.Uint32(v))
	if d == math.MaxInt32 || d == math.MinInt32 {
		return errPgInfinity
	}
	c.appendTime(time.Unix(int64(d)*86400+pgEpochMicros/1000000, 0).UTC())
	return nil
}

// decTime decodes a time of day: microseconds since midnight.
func decTime(c *colData, v []byte) error {
	if len(v) != 8 {
		return errPgLength
	}
	us := int64(binary.BigEndian.Uint64(v))
	c.appendTime(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(us) * time.Microsecond))
	return nil
}

func decBytes(c *colData, v []byte) error {
	c.appendBytes(v)
	return nil
}

func decUUID(c *colData, v []byte) error {
	if len(v) != 16 {
		return errPgLength
	}
	if len(c.data)+36 > cap(c.data) {
		c.data = grow(c.data, 36)
	}
	c.data = appendUUID(c.data, v)
	c.endValue()
	return nil
}
