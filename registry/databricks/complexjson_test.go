package databricks

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v12/arrow"
	"github.com/apache/arrow/go/v12/arrow/array"
	"github.com/apache/arrow/go/v12/arrow/decimal128"
	"github.com/apache/arrow/go/v12/arrow/decimal256"
	"github.com/apache/arrow/go/v12/arrow/memory"
)

// build makes a one-column Arrow array of type dt with fill's values.
func build(t *testing.T, dt arrow.DataType, fill func(b array.Builder)) arrow.Array {
	t.Helper()
	b := array.NewBuilder(memory.DefaultAllocator, dt)
	defer b.Release()
	fill(b)
	a := b.NewArray()
	t.Cleanup(a.Release)
	return a
}

// TestComplexJSON checks the JSON text of native Arrow complex values,
// including types and values a warehouse may send that the local peer does
// not produce (DECIMAL256, nanosecond timestamps, unsigned integers,
// float32 extremes), and that each is valid JSON.
func TestComplexJSON(t *testing.T) {
	cases := []struct {
		name string
		arr  arrow.Array
		want []string // per row
	}{
		{"list of float32", build(t, arrow.ListOf(arrow.PrimitiveTypes.Float32), func(b array.Builder) {
			lb := b.(*array.ListBuilder)
			vb := lb.ValueBuilder().(*array.Float32Builder)
			lb.Append(true)
			vb.AppendValues([]float32{0.1, float32(math.NaN()), float32(math.Inf(-1)), 1e-7, 3.4e38, 0}, nil)
			vb.AppendNull()
			lb.AppendNull()
			lb.Append(true)
		}), []string{`[0.1,"NaN","-Infinity",1e-7,3.4e+38,0,null]`, `null`, `[]`}},
		{"list of decimal128", build(t, arrow.ListOf(&arrow.Decimal128Type{Precision: 38, Scale: 3}), func(b array.Builder) {
			lb := b.(*array.ListBuilder)
			vb := lb.ValueBuilder().(*array.Decimal128Builder)
			lb.Append(true)
			vb.Append(decimal128.FromI64(-5))
			vb.Append(decimal128.FromI64(3300))
			hi, _ := decimal128.FromString("99999999999999999999999999999999999.999", 38, 3)
			vb.Append(hi)
		}), []string{`[-0.005,3.300,99999999999999999999999999999999999.999]`}},
		{"list of decimal256", build(t, arrow.ListOf(&arrow.Decimal256Type{Precision: 76, Scale: 2}), func(b array.Builder) {
			lb := b.(*array.ListBuilder)
			lb.Append(true)
			n, _ := decimal256.FromString("-12345678901234567890123456789012345678901234567890.25", 76, 2)
			lb.ValueBuilder().(*array.Decimal256Builder).Append(n)
		}), []string{`[-12345678901234567890123456789012345678901234567890.25]`}},
		{"struct of times and unsigned", build(t, arrow.StructOf(
			arrow.Field{Name: "ns", Type: &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}, Nullable: true},
			arrow.Field{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
			arrow.Field{Name: "u", Type: arrow.PrimitiveTypes.Uint64, Nullable: true},
			arrow.Field{Name: "a\"\\\n", Type: arrow.BinaryTypes.String, Nullable: true},
		), func(b array.Builder) {
			sb := b.(*array.StructBuilder)
			sb.Append(true)
			ts := time.Date(1969, 12, 31, 23, 59, 59, 123456789, time.UTC)
			sb.FieldBuilder(0).(*array.TimestampBuilder).Append(arrow.Timestamp(ts.UnixNano()))
			sb.FieldBuilder(1).(*array.Date32Builder).Append(arrow.Date32FromTime(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)))
			sb.FieldBuilder(2).(*array.Uint64Builder).Append(math.MaxUint64)
			sb.FieldBuilder(3).(*array.StringBuilder).Append("\x00\u2028é\xff")
		}), []string{`{"ns":"1969-12-31T23:59:59.123456789Z","d":"0001-01-01","u":18446744073709551615,"a\"\\\n":"\u0000` + "\u2028é" + `\ufffd"}`}},
		{"map of booleans to binary", build(t, arrow.MapOf(arrow.FixedWidthTypes.Boolean, arrow.BinaryTypes.Binary), func(b array.Builder) {
			mb := b.(*array.MapBuilder)
			mb.Append(true)
			mb.KeyBuilder().(*array.BooleanBuilder).AppendValues([]bool{true, false}, nil)
			ib := mb.ItemBuilder().(*array.BinaryBuilder)
			ib.Append([]byte{0, 0xff})
			ib.AppendNull()
		}), []string{`{"true":"AP8=","false":null}`}},
		{"map with struct keys", build(t, arrow.MapOf(arrow.StructOf(arrow.Field{Name: "k", Type: arrow.BinaryTypes.String}), arrow.PrimitiveTypes.Int8), func(b array.Builder) {
			mb := b.(*array.MapBuilder)
			mb.Append(true)
			kb := mb.KeyBuilder().(*array.StructBuilder)
			kb.Append(true)
			kb.FieldBuilder(0).(*array.StringBuilder).Append(`x"y`)
			mb.ItemBuilder().(*array.Int8Builder).Append(-128)
		}), []string{`{"{\"k\":\"x\\\"y\"}":-128}`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i, want := range tc.want {
				got, err := appendComplexJSON(nil, tc.arr, i)
				if err != nil {
					t.Fatalf("row %d: %v", i, err)
				}
				if !json.Valid(got) {
					t.Errorf("row %d: %s is not valid JSON", i, got)
				}
				if string(got) != want {
					t.Errorf("row %d: got  %s\nwant %s", i, got, want)
				}
			}
		})
	}
}

// TestComplexJSONUnsupported checks that a nested Arrow type with no JSON
// form fails with an error that names the element and the type.
func TestComplexJSONUnsupported(t *testing.T) {
	arr := build(t, arrow.ListOf(arrow.FixedWidthTypes.Duration_us), func(b array.Builder) {
		lb := b.(*array.ListBuilder)
		lb.Append(true)
		lb.ValueBuilder().(*array.DurationBuilder).Append(5)
	})
	_, err := appendComplexJSON(nil, arr, 0)
	if err == nil || !strings.Contains(err.Error(), "element 0") || !strings.Contains(err.Error(), "duration") {
		t.Errorf("got %v, want an error naming element 0 and the duration type", err)
	}
}
