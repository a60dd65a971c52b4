package orapeer

import (
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/sijms/go-ora/v2/converters"
)

// The peer's NUMBER, BINARY_DOUBLE and date encodings are checked against
// go-ora's own decoders and encoders, the client side of the same wire.

func TestNumberAgainstGoOra(t *testing.T) {
	for _, s := range []string{"0", "1", "-1", "7", "10", "100", "99", "101", "123456789012345678", "-123456789012345678",
		"0.5", "-0.5", "3.14159", "12345.678", "0.001", "-0.000123", "1e20", "-1e-20", "9999999999999999999999999999999999999",
		"42", "1000000", "0.1", "-987.654"} {
		b, err := encodeNumber(s)
		if err != nil {
			t.Fatalf("encode %s: %v", s, err)
		}
		got, err := converters.NumberToString(b)
		if err != nil {
			t.Fatalf("go-ora decode %s (%x): %v", s, b, err)
		}
		want, _ := strconv.ParseFloat(s, 64)
		if g, _ := strconv.ParseFloat(got, 64); g != want {
			t.Fatalf("%s: go-ora reads %s (%x)", s, got, b)
		}
		back, err := decodeNumber(b)
		if err != nil {
			t.Fatalf("decode %x: %v", b, err)
		}
		if g, _ := strconv.ParseFloat(back, 64); g != want {
			t.Fatalf("%s: peer reads back %s", s, back)
		}
	}
	for _, i := range []int64{0, 1, -1, 100, -100, 255, 65536, math.MaxInt64, math.MinInt64 + 1, 1234567890} {
		b := converters.EncodeInt64(i)
		s, err := decodeNumber(b)
		if err != nil || s != strconv.FormatInt(i, 10) {
			t.Fatalf("peer reads go-ora's %d (%x) as %s, %v", i, b, s, err)
		}
	}
	for _, f := range []float64{0.5, -2.25, 1e-10, 123.456, -99999.125} {
		b, err := converters.EncodeDouble(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := decodeNumber(b)
		if g, _ := strconv.ParseFloat(s, 64); err != nil || g != f {
			t.Fatalf("peer reads go-ora's %v (%x) as %s, %v", f, b, s, err)
		}
	}
}

func TestDoubleAndDates(t *testing.T) {
	for _, f := range []float64{0, 1.5, -1.5, math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1)} {
		if g := converters.ConvertBinaryDouble(encodeDouble(f)); g != f {
			t.Fatalf("BINARY_DOUBLE %v reads as %v", f, g)
		}
		if g, _ := decodeDouble(encodeDouble(f)); g != f {
			t.Fatalf("peer reads its BINARY_DOUBLE %v as %v", f, g)
		}
	}
	if g := converters.ConvertBinaryDouble(encodeDouble(math.NaN())); !math.IsNaN(g) {
		t.Fatalf("NaN reads as %v", g)
	}
	when := time.Date(1999, 12, 31, 23, 59, 58, 123456789, time.FixedZone("+05:30", 5*3600+30*60))
	for _, c := range []struct {
		b    []byte
		want time.Time
	}{
		{encodeDate(when), when.Truncate(time.Second)},
		{encodeTimestamp(when), when},
		{encodeTimestampTZ(when), when},
	} {
		got, err := converters.DecodeDate(c.b)
		if err != nil {
			t.Fatal(err)
		}
		wantWall := c.want.Format("2006-01-02 15:04:05.999999999")
		if len(c.b) == 13 {
			if !got.Equal(c.want) {
				t.Fatalf("TIMESTAMP WITH TIME ZONE reads as %v, want %v", got, c.want)
			}
		} else if got.Format("2006-01-02 15:04:05.999999999") != wantWall {
			t.Fatalf("%d-byte value reads as %v, want %s", len(c.b), got, wantWall)
		}
		back, _, err := decodeDateTime(c.b)
		if err != nil || (len(c.b) == 13 && !back.Equal(c.want)) {
			t.Fatalf("peer reads its own %x as %v, %v", c.b, back, err)
		}
	}
	// go-ora's own TIMESTAMP WITH TIME ZONE bind
	b := converters.EncodeTimeStamp(when, true, false)
	got, tz, err := decodeDateTime(b)
	if err != nil || !tz || !got.Equal(when) {
		t.Fatalf("peer reads go-ora's %x as %v %v %v", b, got, tz, err)
	}
}
