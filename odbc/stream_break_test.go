package odbc

import (
	"context"
	"testing"

	"github.com/vapsql/vap/internal/testenv"
)

// TestStreamBreakAfterCancel breaks out of a PostgreSQL stream right after
// cancelling its context, as a consumer that stops on ctx.Done does: the
// pgx path then reports the cancellation, which must not be yielded to a
// loop that has returned (the range-over-func runtime panics).
func TestStreamBreakAfterCancel(t *testing.T) {
	db := testenv.Postgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for _, err := range StreamDB(ctx, db, "SELECT g FROM generate_series(1, 100000) g") {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 10 {
			cancel()
			break
		}
	}
}
