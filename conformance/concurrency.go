package conformance

import (
	"fmt"
	"sync"
)

const (
	goroutines  = 32
	queriesEach = 20
)

// checkConcurrency runs 32 goroutines on the one *sql.DB, each binding its
// own values and checking it reads them back, inside and outside
// transactions (where the database has them).
func checkConcurrency(e *env) outcome {
	q := fmt.Sprintf("SELECT "+e.d.BindCast["int64"]+", "+e.d.BindCast["text"], e.ph(1), e.ph(2)) + e.d.From
	withTx := e.d.NA["tx"] == ""
	var wg sync.WaitGroup
	errs := make(chan string, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range queriesEach {
				id := int64(g*1000 + i)
				text := fmt.Sprintf("goroutine %d query %d", g, i)
				var n int64
				var s string
				var err error
				if withTx && i%4 == 3 {
					tx, terr := e.db.BeginTx(e.ctx, nil)
					if terr != nil {
						errs <- fmt.Sprintf("goroutine %d: begin: %v", g, e.observe(terr))
						return
					}
					err = tx.QueryRowContext(e.ctx, q, id, text).Scan(&n, &s)
					if cerr := tx.Commit(); err == nil {
						err = cerr
					}
				} else {
					err = e.db.QueryRowContext(e.ctx, q, id, text).Scan(&n, &s)
				}
				if err != nil {
					errs <- fmt.Sprintf("goroutine %d query %d: %v", g, i, e.observe(err))
					return
				}
				if n != id || s != text {
					errs <- fmt.Sprintf("goroutine %d query %d read (%d, %q): another goroutine's values", g, i, n, s)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	var first string
	failed := 0
	for s := range errs {
		if failed == 0 {
			first = s
		}
		failed++
	}
	if failed > 0 {
		return fail(fmt.Sprintf("%d of %d goroutines failed; first: %s", failed, goroutines, first))
	}
	return pass(fmt.Sprintf("%d goroutines × %d queries, each read back its own values", goroutines, queriesEach))
}
