package odbc

import (
	"context"
	"testing"
)

// TestStreamBatchesAndDetails: StreamBatches yields batches of at most
// batchRows rows (an empty one for a result without rows, none for a
// statement without a result set), and columns say their decimal size and
// time type, on pgx's path and on database/sql's.
func TestStreamBatchesAndDetails(t *testing.T) {
	t.Parallel()
	st, name, _ := pgStore(t)
	ctx := context.Background()
	c := New(WithStore(st))
	defer c.Close()
	q := `SELECT 1.5::numeric(12,2) AS d, 1::numeric AS du, DATE '2024-01-01' AS dt, TIME '01:02:03' AS tm,
		TIMESTAMP '2024-01-01 00:00:00' AS ts, TIMESTAMPTZ '2024-01-01 00:00:00+00' AS tz FROM generate_series(1, 2500)`
	var sizes []int
	var cols []Column
	for rows, err := range c.StreamBatches(ctx, q, name) {
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, rows.Len())
		cols = rows.Columns()
	}
	if len(sizes) != 3 || sizes[0] != batchRows || sizes[2] != 2500-2*batchRows {
		t.Errorf("batches of %v rows", sizes)
	}
	want := []Column{
		{Name: "d", Precision: 12, Scale: 2}, {Name: "du", Precision: 0, Scale: -1}, {Name: "dt", Time: TimeDate},
		{Name: "tm", Time: TimeOfDay}, {Name: "ts", Time: TimeTimestamp}, {Name: "tz", Time: TimeTimestampTZ},
	}
	check := func(path string, cols []Column) {
		t.Helper()
		if len(cols) != len(want) {
			t.Fatalf("%s: %d columns", path, len(cols))
		}
		for j, w := range want {
			if g := cols[j]; g.Precision != w.Precision || g.Scale != w.Scale || g.Time != w.Time {
				t.Errorf("%s: %s = precision %d scale %d time %q, want %d %d %q", path, w.Name, g.Precision, g.Scale, g.Time, w.Precision, w.Scale, w.Time)
			}
		}
	}
	check("pgx", cols)
	generic := New(WithStore(st))
	generic.cfg.generic = true
	defer generic.Close()
	rows, err := generic.OdbcToRows(ctx, q+" LIMIT 1", name)
	if err != nil {
		t.Fatal(err)
	}
	check("database/sql", rows.Columns())

	n := 0
	for rows, err := range c.StreamBatches(ctx, "SELECT 1 AS a WHERE false", name) {
		if err != nil || rows.Len() != 0 || len(rows.Columns()) != 1 {
			t.Errorf("empty result: %v %v", rows, err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("empty result: %d batches, want 1", n)
	}
	table := uniqueName("odbc_batches")
	for rows, err := range c.StreamBatches(ctx, "CREATE TEMP TABLE "+table+" (a int)", name) {
		t.Errorf("CREATE: yielded %v %v", rows, err)
	}
}
