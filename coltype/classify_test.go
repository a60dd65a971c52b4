package coltype

import "testing"

func TestClassify(t *testing.T) {
	cases := []struct {
		in   Info
		want Spec
	}{
		{NewInfo("bigint"), Spec{Kind: Int64, Scale: -1}},
		{NewInfo("BIGINT UNSIGNED"), Spec{Kind: Int64, Scale: -1}},
		{NewInfo("DECIMAL(12,2)"), Spec{Kind: Decimal, Scale: 2}},
		{NewInfo("NUMERIC(7)"), Spec{Kind: Decimal, Scale: 0}},
		{Info{Name: "NUMERIC", Length: -1, Precision: 10, Scale: 3}, Spec{Kind: Decimal, Scale: 3}},
		{NewInfo("NUMERIC"), Spec{Kind: Decimal, Scale: -1}},
		{NewInfo("UNIQUEIDENTIFIER"), Spec{Kind: String, GUID: true, Scale: -1}},
		{NewInfo("UUID"), Spec{Kind: String, UUID: true, Scale: -1}},
		{NewInfo("TIMESTAMPTZ"), Spec{Kind: Time, Time: Instant, Scale: -1}},
		{NewInfo("TIME"), Spec{Kind: Time, Time: Clock, Scale: -1}},
		{NewInfo("DATETIME2"), Spec{Kind: Time, Time: Wall, Scale: -1}},
		{NewInfo("date"), Spec{Kind: Time, Time: Wall, Date: true, Scale: -1}},
		{NewInfo("TNSType(252)"), Spec{Kind: Bool, Scale: -1}},
		{NewInfo(""), Spec{Kind: Null, Flexible: true, Scale: -1}},
		{NewInfo("HSTORE"), Spec{Kind: Null, Flexible: true, Scale: -1}},
	}
	for _, tc := range cases {
		t.Run(tc.in.Name, func(t *testing.T) {
			if got := Classify(tc.in); got != tc.want {
				t.Errorf("Classify(%+v) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	if Decimal.String() != "decimal" || Kind(99).String() != "kind(99)" {
		t.Errorf("names: %s, %s", Decimal, Kind(99))
	}
}
