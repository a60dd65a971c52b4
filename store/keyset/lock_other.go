//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package keyset

import (
	"context"
	"fmt"
	"sync"
)

// processLocks serialises keyset changes within this process where flock(2)
// is missing. Processes are not serialised: rotate keys from one process at
// a time on these systems.
var processLocks sync.Map // path -> chan struct{} of capacity 1

// Lock takes a lock on path for this process only (see
// processLocks), waiting until ctx ends. The returned function releases it.
func Lock(ctx context.Context, path string) (unlock func(), err error) {
	v, _ := processLocks.LoadOrStore(Resolve(path), make(chan struct{}, 1))
	ch := v.(chan struct{})
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: waiting for another key rotation: %w", ErrKeyset, ctx.Err())
	}
}
