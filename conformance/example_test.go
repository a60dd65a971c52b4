package conformance_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/store"
)

// Run the suite on an embedded SQLite connection and print each check's
// status.
func Example() {
	home, _ := os.MkdirTemp("", "vap-example-")
	defer os.RemoveAll(home)
	st := store.Open(store.WithHome(home), store.WithURL(filepath.Join(home, store.StoreFileName)))
	defer st.Close()
	c := &store.Connection{Name: "local", Type: "sqlite"}
	c.Set("path", filepath.Join(home, "local.db"), false)
	if err := st.Create(context.Background(), c); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range conformance.Check(context.Background(), conformance.Target{Name: "local", Store: st}) {
		fmt.Printf("%-5s %s\n", r.Status, r.ID)
	}
	// Output:
	// pass  resolve
	// pass  ping
	// pass  kinds/int64
	// pass  kinds/float64
	// n/a   kinds/decimal
	// pass  kinds/text
	// pass  kinds/binary
	// pass  kinds/bool
	// n/a   kinds/date
	// n/a   kinds/time
	// n/a   kinds/timestamp
	// n/a   kinds/timestamptz
	// pass  kinds/float64-special
	// pass  kinds/null
	// pass  bind
	// pass  stream-100k
	// pass  tx
	// pass  tx-isolation
	// pass  prepare
	// pass  cancel
	// pass  deadline
	// pass  syntax-error
	// pass  concurrency
	// n/a   pool-recovery
	// n/a   password-update
	// pass  delete
	// pass  redaction
}
