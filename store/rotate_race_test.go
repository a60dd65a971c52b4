package store_test

import (
	"context"
	"sync"
	"testing"
)

// TestConcurrentRotationsLoseNoKey rotates the keys from two Stores on one
// home at once, again and again, and proves a fresh Store (a new process)
// still reads every secret: neither rotation dropped a key the other one
// sealed with.
func TestConcurrentRotationsLoseNoKey(t *testing.T) {
	ctx := context.Background()
	home, passwords := rotationHome(t)
	const rounds = 15
	for i := range rounds {
		a, b := openHome(t, home), openHome(t, home)
		checkReadable(t, a, passwords) // both hold the keyset as it is now
		checkReadable(t, b, passwords)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Go(func() { _, errs[0] = a.RotateKey(ctx) })
		wg.Go(func() { _, errs[1] = b.RotateKey(ctx) })
		wg.Wait()
		a.Close()
		b.Close()
		fresh := openHome(t, home)
		checkReadable(t, fresh, passwords)
		for j, err := range errs {
			noSecretIn(t, err, passwords)
			if err != nil {
				t.Fatalf("round %d: rotation %d failed: %v", i, j, err)
			}
		}
		if n := len(keys(t, fresh)); n != 1+2*(i+1) {
			t.Fatalf("round %d: the keyset file holds %d keys, want %d (every rotation adds one)", i, n, 1+2*(i+1))
		}
		fresh.Close()
	}
}
