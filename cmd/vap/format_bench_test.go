package main

import (
	"context"
	"database/sql"
	"io"
	"testing"

	"github.com/vapsql/vap/odbc"
)

// BenchmarkFormats writes the same 100,000-row result (an integer and a
// 32-character text, as md5 gives) in each format to io.Discard, side by
// side: the table format must stay within 1.5x of csv. The rows are read
// once into memory so that only the formatting is measured.
//
//	go test -run '^$' -bench Formats -count 5 ./cmd/vap/
func BenchmarkFormats(b *testing.B) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := odbc.OdbcToRowsDB(context.Background(), db,
		`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 100000)
		 SELECT i AS g, printf('%032x', i * 2654435761) AS md5 FROM g`)
	if err != nil {
		b.Fatal(err)
	}
	for _, format := range formats {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				out := newOutput(io.Discard)
				s := newSink(format, out)
				s.begin(rows.Columns())
				for i := range rows.Len() {
					s.row(rows.Row(i))
				}
				s.end(int64(rows.Len()))
				out.close()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows.Len()), "ns/row")
		})
	}
}
