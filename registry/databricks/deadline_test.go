package databricks_test

import (
	"context"
	"database/sql"
	"strconv"
	"testing"
	"time"

	"github.com/vapsql/vap/peer/dbsqlpeer"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/databricks"
)

// TestCloudFetchDeadlineNeverTruncates streams a large CloudFetch result
// through a vap databricks connection (the local warehouse peer serves it
// as links to many small files) and lets the Flow's context deadline pass
// in the middle of it: the rows that follow must be all the rest, or the
// read must end in an error. A short result without an error is what
// databricks-sql-go before v1.13.0 gave on a warehouse (upstream PR #373);
// on the loopback peer v1.11.0 also passes this test (its downloads are
// too fast to be caught in flight), so it guards the invariant rather than
// reproducing that defect.
func TestCloudFetchDeadlineNeverTruncates(t *testing.T) {
	const total = 30_000
	p, err := dbsqlpeer.Start(dbsqlpeer.Config{Token: pat, MaxResultRows: total,
		CloudFetchThreshold: 1, CloudFetchFileRows: 1_000, CloudFetchLinksPerPage: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	c, err := databricks.New(databricks.WithLookupEnv(env{}.lookup)).Connector(context.Background(),
		registry.NewParams("deadline", "databricks", map[string]string{
			"server_hostname": p.Host(), "port": strconv.Itoa(p.Port()), "http_path": p.HTTPPath(), "access_token": pat,
		}))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { _ = db.Close() })
	q := "SELECT id FROM range(0, " + strconv.Itoa(total) + ")"

	// A first read without a deadline in reach measures how long the query
	// takes to its first row and to its last; the attempts then put their
	// deadlines across the streaming part, while files are downloading.
	// One more attempt waits for its deadline after 3,000 rows, then reads
	// on (the deadline passes with the next downloads not yet started).
	start := time.Now()
	var first time.Duration
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	n, err := readAll(t, ctx, db, q, func(n int64) {
		if n == 1 {
			first = time.Since(start)
		}
	})
	cancel()
	whole := time.Since(start)
	if err != nil || n != total {
		t.Fatalf("without a deadline in reach: %d rows, %v", n, err)
	}
	check := func(what string, n int64, err error) {
		t.Helper()
		switch {
		case err == nil && n != total:
			t.Fatalf("%s: %d of %d rows and no error: a truncated result", what, n, total)
		case err != nil && n == total:
			t.Fatalf("%s: all rows and then an error %v", what, err)
		case err != nil:
			t.Logf("%s: %d rows, then %v", what, n, err)
		default:
			t.Logf("%s: all %d rows", what, n)
		}
	}
	for i := 1; i <= 6; i++ {
		d := first + (whole-first)*time.Duration(i)/6
		ctx, cancel := context.WithTimeout(context.Background(), d)
		n, err := readAll(t, ctx, db, q, nil)
		cancel()
		check("deadline "+d.Round(time.Millisecond).String(), n, err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), first+2*time.Second)
	n, err = readAll(t, ctx, db, q, func(n int64) {
		if n == 3_000 {
			<-ctx.Done()
		}
	})
	cancel()
	check("deadline passed after 3,000 rows", n, err)
	if s := p.Stats(); s.Pages["cloudfetch"] == 0 || s.CloudFetchDownloads == 0 {
		t.Fatalf("the result did not travel by CloudFetch: %+v", s)
	}
}

// readAll reads q's single BIGINT column, checking the ids run 0, 1, 2...,
// calling after (when set) after each row.
func readAll(t *testing.T, ctx context.Context, db *sql.DB, q string, after func(n int64)) (int64, error) {
	t.Helper()
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return n, err
		}
		if id != n {
			t.Fatalf("row %d is id %d: rows were skipped", n, id)
		}
		n++
		if after != nil {
			after(n)
		}
	}
	return n, rows.Err()
}
