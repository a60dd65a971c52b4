//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package keyset

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockPoll is how often a waiting Lock tries again.
const lockPoll = 10 * time.Millisecond

// Lock takes an exclusive lock shared by every process on the
// host: flock(2) on path+".lock" (created mode 0600 when missing), path
// being the file a symbolic link at path points to. It waits
// while another process holds it, until ctx ends. The returned function
// releases it.
func Lock(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(Resolve(path)+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%w: lock the keyset file: %v", ErrKeyset, err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			removeOrphans(Resolve(path))
			return func() {
				syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("%w: lock the keyset file: %v", ErrKeyset, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("%w: waiting for another process's key rotation: %w", ErrKeyset, ctx.Err())
		case <-time.After(lockPoll):
		}
	}
}
