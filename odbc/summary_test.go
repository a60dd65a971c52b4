package odbc_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/odbc"
)

func TestSummary(t *testing.T) {
	db := testenv.Postgres(t)
	ctx := context.Background()
	var s odbc.Summary
	// A result without rows still has its columns.
	for _, err := range odbc.StreamDB(ctx, db, "SELECT 1 AS a, 'x' AS b WHERE false", odbc.WithSummary(&s)) {
		t.Fatal("a row or error:", err)
	}
	if got := []string{s.Columns[0].Name, s.Columns[1].Name}; !slices.Equal(got, []string{"a", "b"}) || s.Tag != "SELECT 0" || s.RowsAffected != 0 {
		t.Fatalf("empty result: %+v", s)
	}
	// A statement without a result set has its command tag and count.
	table := "vap_summary_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := db.Exec("CREATE TABLE " + table + " (a int)"); err != nil {
		t.Fatal(err)
	}
	defer db.Exec("DROP TABLE " + table)
	if _, err := odbc.OdbcToRowsDB(ctx, db, "INSERT INTO "+table+" SELECT generate_series(1, 3)", odbc.WithSummary(&s)); err != nil {
		t.Fatal(err)
	}
	if s.Tag != "INSERT 0 3" || s.RowsAffected != 3 || len(s.Columns) != 0 {
		t.Fatalf("INSERT: %+v", s)
	}
	if _, err := odbc.OdbcToRowsDB(ctx, db, "SELECT 1", odbc.WithSummary(&s)); err != nil || s.Tag != "SELECT 1" || len(s.Columns) != 1 {
		t.Fatalf("SELECT 1: %v %+v", err, s)
	}
}
