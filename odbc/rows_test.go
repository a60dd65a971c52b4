package odbc

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sampleRows builds a small result through the same builder the queries use.
func sampleRows(t *testing.T) *Rows {
	t.Helper()
	b := &builder{cfg: defaultConfig()}
	b.start([]Column{
		{Name: "id", Kind: KindInt64}, {Name: "x", Kind: KindFloat64}, {Name: "amount", Kind: KindDecimal},
		{Name: "name", Kind: KindString}, {Name: "bin", Kind: KindBytes}, {Name: "ok", Kind: KindBool},
		{Name: "at", Kind: KindTime},
	})
	at := time.Date(2024, 2, 29, 13, 14, 15, 500, time.UTC)
	rows := [][]any{
		{int64(1), 1.5, "12.50", `say "hi"`, []byte{0, 0xff}, true, at},
		{int64(2), nil, nil, nil, nil, nil, nil},
		{int64(3), math.NaN(), "NaN", "a,b\nc", []byte{}, false, time.Time{}},
	}
	specs := make([]colSpec, 7)
	for j := range specs {
		specs[j] = colSpec{Kind: b.rows.data[j].kind, Scale: -1}
	}
	for _, r := range rows {
		for j, v := range r {
			if err := appendValue(&b.rows.data[j], &specs[j], v); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.endRow(); err != nil {
			t.Fatal(err)
		}
	}
	return b.rows
}

func TestRowsAccessors(t *testing.T) {
	r := sampleRows(t)
	if r.Len() != 3 {
		t.Fatalf("Len %d", r.Len())
	}
	ids, err := r.Int64s("id")
	if err != nil || !reflect.DeepEqual(ids, []int64{1, 2, 3}) {
		t.Errorf("Int64s = %v, %v", ids, err)
	}
	names, err := r.Strings("name")
	if err != nil || !reflect.DeepEqual(names, []string{`say "hi"`, "", "a,b\nc"}) {
		t.Errorf("Strings = %q, %v", names, err)
	}
	dec, err := r.Decimals("amount")
	if err != nil || !reflect.DeepEqual(dec, []string{"12.50", "", "NaN"}) {
		t.Errorf("Decimals = %q, %v", dec, err)
	}
	nulls, err := r.Nulls("x")
	if err != nil || !reflect.DeepEqual(nulls, []bool{false, true, false}) {
		t.Errorf("Nulls = %v, %v", nulls, err)
	}
	bins, err := r.Bytes("bin")
	if err != nil || !reflect.DeepEqual(bins, [][]byte{{0, 0xff}, nil, {}}) {
		t.Errorf("Bytes = %v, %v", bins, err)
	}
	if v := r.Row(1).Values(); !reflect.DeepEqual(v, []any{int64(2), nil, nil, nil, nil, nil, nil}) {
		t.Errorf("Row(1) = %#v", v)
	}
	if v, ok := r.Row(0).Get("ok"); !ok || v != true {
		t.Errorf("Get(ok) = %v, %v", v, ok)
	}
	if rec := r.Records(); rec[0]["name"] != `say "hi"` || rec[1]["name"] != nil || len(rec) != 3 {
		t.Errorf("Records = %v", rec)
	}

	errCases := []struct {
		name string
		call func() error
		want error
	}{
		{"Int64s on string", func() error { _, err := r.Int64s("name"); return err }, &KindError{Column: "name", Kind: KindString, Want: KindInt64}},
		{"Strings on decimal", func() error { _, err := r.Strings("amount"); return err }, &KindError{Column: "amount", Kind: KindDecimal, Want: KindString}},
		{"Times on bool", func() error { _, err := r.Times("ok"); return err }, &KindError{Column: "ok", Kind: KindBool, Want: KindTime}},
		{"unknown column", func() error { _, err := r.Float64s("nope"); return err }, ErrNoColumn},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var ke *KindError
			switch want := tc.want.(type) {
			case *KindError:
				if !errors.As(err, &ke) || *ke != *want {
					t.Fatalf("err = %v, want %v", err, want)
				}
				if !strings.Contains(err.Error(), want.Column) || !strings.Contains(err.Error(), want.Kind.String()) {
					t.Errorf("message %q does not name the column and kind", err)
				}
			default:
				if !errors.Is(err, want) || !strings.Contains(err.Error(), "nope") {
					t.Fatalf("err = %v, want %v naming the column", err, want)
				}
			}
		})
	}
}

func TestRowsJSON(t *testing.T) {
	r := sampleRows(t)
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"id":1,"x":1.5,"amount":12.50,"name":"say \"hi\"","bin":"AP8=","ok":true,"at":"2024-02-29T13:14:15.0000005Z"},` +
		`{"id":2,"x":null,"amount":null,"name":null,"bin":null,"ok":null,"at":null},` +
		`{"id":3,"x":"NaN","amount":"NaN","name":"a,b\nc","bin":"","ok":false,"at":"0001-01-01T00:00:00Z"}]`
	if string(js) != want {
		t.Errorf("JSON\n got %s\nwant %s", js, want)
	}
	// Types survive a decode: numbers stay numbers, the decimal keeps its digits.
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var back []map[string]any
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	if back[0]["amount"] != json.Number("12.50") || back[0]["id"] != json.Number("1") || back[0]["ok"] != true {
		t.Errorf("decoded %v", back[0])
	}
	floats := []struct {
		in   float64
		want string
	}{{1e21, "1e+21"}, {1e-7, "1e-7"}, {123456789, "123456789"}, {math.Inf(-1), `"-Inf"`}, {-0.25, "-0.25"}}
	for _, f := range floats {
		if got := string(appendJSONFloat(nil, f.in)); got != f.want {
			t.Errorf("float %v: %s, want %s", f.in, got, f.want)
		}
	}
}

func TestRowsCSV(t *testing.T) {
	r := sampleRows(t)
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"id", "x", "amount", "name", "bin", "ok", "at"},
		{"1", "1.5", "12.50", `say "hi"`, "AP8=", "true", "2024-02-29T13:14:15.0000005Z"},
		{"2", "", "", "", "", "", ""},
		{"3", "NaN", "NaN", "a,b\nc", "", "false", "0001-01-01T00:00:00Z"},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("CSV\n got %q\nwant %q", recs, want)
	}
}

func TestLimitErrorText(t *testing.T) {
	cases := []struct {
		err  *LimitError
		want string
	}{
		{&LimitError{Limit: LimitRows, Max: 10}, "row limit exceeded: the result has more than 10 rows (MaxRows)"},
		{&LimitError{Limit: LimitBytes, Max: 1000}, "byte limit exceeded: the result needs more than 1000 bytes (MaxBytes)"},
	}
	for _, tc := range cases {
		t.Run(string(tc.err.Limit), func(t *testing.T) {
			if !strings.Contains(tc.err.Error(), tc.want) || !errors.Is(tc.err, ErrLimit) {
				t.Errorf("%q does not say %q", tc.err, tc.want)
			}
		})
	}
}
