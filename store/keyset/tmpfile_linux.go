//go:build linux

package keyset

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// placeUnnamed writes data to an unnamed file in path's directory
// (O_TMPFILE: it has no name, so a process killed while writing it leaves
// nothing behind) and then gives it path's name: linked into place for a
// create, linked under a temporary name and renamed over path for a
// replace (a window of two system calls). It returns errNoTmpfile when the
// filesystem or /proc does not allow it, having created nothing.
func placeUnnamed(path string, data []byte, replace bool) error {
	dir := filepath.Dir(path)
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return errNoTmpfile
	}
	f := os.NewFile(uintptr(fd), "keyset (unnamed)")
	defer f.Close()
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	proc := "/proc/self/fd/" + strconv.Itoa(int(f.Fd()))
	link := func(to string) error {
		return unix.Linkat(unix.AT_FDCWD, proc, unix.AT_FDCWD, to, unix.AT_SYMLINK_FOLLOW)
	}
	if !replace {
		err := link(path)
		switch {
		case errors.Is(err, unix.EEXIST):
			return fmt.Errorf("%w: %w", ErrKeyset, fs.ErrExist)
		case errors.Is(err, unix.ENOENT):
			return errNoTmpfile // no /proc
		case err != nil:
			return fmt.Errorf("%w: %v", ErrKeyset, err)
		}
		return nil
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(dir, ".keyset-"+hex.EncodeToString(rnd[:])+".tmp")
	if err := link(tmp); err != nil {
		if errors.Is(err, unix.ENOENT) {
			return errNoTmpfile
		}
		return fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%w: %w", ErrKeyset, err)
	}
	return nil
}
