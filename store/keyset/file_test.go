package keyset

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func primary(t *testing.T, path string) uint32 {
	t.Helper()
	h, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return h.Primary()
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestLoadOrCreateConcurrent: processes creating the file at once all end
// up with the one keyset the file holds, mode 0600 in a 0700 directory.
func TestLoadOrCreateConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "home", "keyset.json")
	ids := make([]uint32, 8)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			h, err := LoadOrCreate(path)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = h.Primary()
		})
	}
	wg.Wait()
	want := primary(t, path)
	for i, id := range ids {
		if id != want {
			t.Errorf("caller %d got primary %d, the file holds %d", i, id, want)
		}
	}
	if m := mode(t, path); m != 0o600 {
		t.Errorf("keyset file mode %04o, want 0600", m)
	}
	if m := mode(t, filepath.Dir(path)); m != 0o700 {
		t.Errorf("keyset directory mode %04o, want 0700", m)
	}
}

// TestWriteReplaces: Write puts a new keyset over the old file, mode 0600
// even when the old file was not; the create path never replaces.
func TestWriteReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyset.json")
	old, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	h, id, err := AddPrimary(old)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeFile(path, h, false); !errors.Is(err, fs.ErrExist) || !errors.Is(err, ErrKeyset) {
		t.Fatalf("create over an existing file: %v, want ErrKeyset and fs.ErrExist", err)
	}
	if got := primary(t, path); got != old.Primary() {
		t.Fatalf("a refused create changed the file: primary %d", got)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, h); err != nil {
		t.Fatal(err)
	}
	if got := primary(t, path); got != id {
		t.Fatalf("after Write the primary is %d, want %d", got, id)
	}
	if m := mode(t, path); m != 0o600 {
		t.Errorf("rewritten keyset file mode %04o, want 0600", m)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".keyset-*.tmp"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// TestLoadRefusesReadableFile: a keyset file group or others can read is
// refused, naming the fix.
func TestLoadRefusesReadableFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyset.json")
	if _, err := LoadOrCreate(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); !errors.Is(err, ErrKeyset) {
		t.Fatalf("Load of a 0640 keyset file: %v, want ErrKeyset", err)
	}
}
