package credential

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MaxFileSecret is the largest file a "file:" reference reads.
const MaxFileSecret = 64 << 10

// fileResolver resolves "file:/absolute/path": the file's content, with
// one trailing newline ("\n" or "\r\n") removed, as `echo secret > file`
// leaves one. The file must be a regular file (a symbolic link to one is
// followed) that neither group nor others may read or write (mode 0600 or
// 0400, as vap's keyset file), at most MaxFileSecret bytes, and not empty.
// It is read at each resolution, so a rotated file is seen once the cached
// value's TTL has passed.
type fileResolver struct{}

func (fileResolver) Resolve(ctx context.Context, ref string) (Secret, error) {
	if err := (fileResolver{}).CheckRef(ref); err != nil {
		return Secret{}, err
	}
	f, err := os.Open(ref)
	if err != nil {
		return Secret{}, fmt.Errorf("file: %w", pathErr(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Secret{}, fmt.Errorf("file: %w", pathErr(err))
	}
	if !fi.Mode().IsRegular() {
		return Secret{}, fmt.Errorf("file: %s is not a regular file", ref)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return Secret{}, fmt.Errorf("file: %s has mode %04o: a secret file must not be readable or writable by group or others; run chmod 600 %s", ref, perm, ref)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSecret+1))
	if err != nil {
		return Secret{}, fmt.Errorf("file: read %s: %w", ref, pathErr(err))
	}
	if len(data) > MaxFileSecret {
		return Secret{}, fmt.Errorf("file: %s is larger than %d bytes", ref, MaxFileSecret)
	}
	v := string(data)
	v = strings.TrimSuffix(v, "\n")
	v = strings.TrimSuffix(v, "\r")
	if v == "" {
		return Secret{}, fmt.Errorf("file: %s is empty", ref)
	}
	return Secret{Value: v}, nil
}

// CheckRef accepts an absolute, clean path.
func (fileResolver) CheckRef(ref string) error {
	if !filepath.IsAbs(ref) || filepath.Clean(ref) != ref {
		return errors.New("file: expected file:/ABSOLUTE/PATH, a clean absolute path")
	}
	return nil
}

// pathErr keeps an os error's operation, path and cause (they name no
// secret).
func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s %s: %w", pe.Op, pe.Path, pe.Err)
	}
	return err
}

func init() { RegisterResolver("file", fileResolver{}) }
