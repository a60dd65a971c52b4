package keyset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrKeyset is matched by every error of this package: loading, parsing,
// writing, locking or wrapping a keyset. store.ErrKeyset is the same value.
var ErrKeyset = errors.New("store: keyset")

// Parse reads a cleartext Tink JSON keyset. It holds AES-GCM keys, or
// keys of other types that the store refuses (Keyset.AEAD fails on them).
func Parse(data []byte) (*Keyset, error) {
	k, err := parseJSON(data)
	if err == nil {
		err = k.validate()
	}
	if err != nil {
		// The reason names fields and key ids, never a value.
		return nil, fmt.Errorf("%w: not a valid Tink JSON keyset: %v", ErrKeyset, err)
	}
	return k, nil
}

// Marshal writes k as cleartext Tink JSON, as Tink's JSONWriter does.
// Guard the result like a password.
func Marshal(k *Keyset) ([]byte, error) {
	b, err := k.marshalJSON()
	if err != nil {
		return nil, fmt.Errorf("%w: encode: %v", ErrKeyset, err)
	}
	return b, nil
}

// Load reads the keyset file at path, refusing a file that group or others
// can access. A missing file fails with an error matching fs.ErrNotExist.
func Load(path string) (*Keyset, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeyset, err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: keyset file %s has mode %04o: it must not be readable by group or others; run chmod 600 %s", ErrKeyset, path, perm, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	h, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return h, nil
}

// LoadOrCreate reads the keyset file at path, creating it with a new keyset
// (mode 0600, its directory 0700) when it does not exist. Two processes
// creating it at once end up with the same keyset: the file is linked into
// place atomically, and the loser reads the winner's.
func LoadOrCreate(path string) (*Keyset, error) {
	h, err := Load(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return h, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("%w: create directory: %v", ErrKeyset, err)
	}
	if h, err = New(); err != nil {
		return nil, err
	}
	if err := writeFile(path, h, false); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Load(path) // another process won the race
		}
		return nil, err
	}
	return h, nil
}

// Write replaces the keyset file at path with h atomically (a new file,
// mode 0600, synced, renamed over the old one), so a reader sees the old
// keyset or the new one, never a mix.
func Write(path string, h *Keyset) error { return writeFile(path, h, true) }

// writeFile puts h at path (the file a link at path points to) through a
// temporary file in its directory (mode 0600, synced; unnamed where the
// system allows, so that a process killed meanwhile leaves no cleartext key
// material behind), so path never holds a partial keyset. With replace it
// renames the file over whatever path held; without, it links it into place
// and fails with an error matching fs.ErrExist when path exists.
func writeFile(path string, h *Keyset, replace bool) error {
	data, err := Marshal(h)
	if err != nil {
		return err
	}
	path = Resolve(path)
	if err := placeUnnamed(path, data, replace); err != errNoTmpfile {
		if err == nil {
			syncDir(filepath.Dir(path))
		}
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".keyset-*.tmp")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%w: %v", ErrKeyset, err)
	}
	if replace {
		err = os.Rename(tmp.Name(), path)
	} else {
		err = os.Link(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrKeyset, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// removeOrphans deletes the temporary keyset files a writer killed between
// naming its new keyset and renaming it over path left in path's
// directory (a window of two system calls, see placeUnnamed). Every
// writer holds the keyset lock, so under it no temporary file is anyone's
// work in progress.
func removeOrphans(path string) {
	orphans, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".keyset-*.tmp"))
	for _, o := range orphans {
		os.Remove(o)
	}
}

// errNoTmpfile: unnamed temporary files are not available here.
var errNoTmpfile = errors.New("no O_TMPFILE")

// syncDir makes a new name in dir durable; not every filesystem supports it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Resolve returns the file path names once symbolic links are followed, or
// path itself when it cannot be resolved (it does not exist yet). Write
// replaces the resolved file, so a keyset path that is a link (a mounted
// secret, say) stays a link, and Lock locks the resolved file, so every
// path to one keyset shares one lock.
func Resolve(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	if target, err := os.Readlink(path); err == nil { // a link to a file not created yet
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		return target
	}
	return path
}
