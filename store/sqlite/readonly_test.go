package sqlite_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/sqlite"
)

const roChildEnv = "VAP_SQLITE_READONLY_CHILD"

// readStore opens the store at path and lists it, as a read-only command
// does.
func readStore(path string) (string, error) {
	b, err := sqlite.Open(context.Background(), path)
	if err != nil {
		return "", err
	}
	defer b.Close()
	rs, err := b.List(context.Background())
	if err != nil {
		return "", err
	}
	var names []string
	for _, r := range rs {
		names = append(names, r.Name)
	}
	if _, err := b.Get(context.Background(), "kept"); err != nil {
		return "", err
	}
	return strings.Join(names, ","), nil
}

// TestReadOnlyStoreFileReadable: a store file the process may read but not
// write (a read-only mount, a file owned by another user) can be read. As
// root, permissions do not bind, so the read runs in a child process
// as user nobody.
func TestReadOnlyStoreFileReadable(t *testing.T) {
	if p := os.Getenv(roChildEnv); p != "" {
		names, err := readStore(p)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("names:", names)
		return
	}
	dir, err := os.MkdirTemp("", "vap-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700); os.RemoveAll(dir) })
	path := filepath.Join(dir, "store.db")
	b, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Insert(context.Background(), &backend.Record{Name: "kept", Type: "sqlite", Fields: map[string]backend.SealedField{"path": {Value: "/x"}}}); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if os.Getuid() != 0 {
		os.Chmod(path, 0o444)
		os.Chmod(dir, 0o555)
		names, err := readStore(path)
		if err != nil || names != "kept" {
			t.Fatalf("read of a read-only store: %q %v", names, err)
		}
		return
	}
	// As root: copy the test binary where nobody can run it, and run the
	// read as nobody (uid 65534) on a file and directory it cannot write.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "test.bin")
	copyExec(t, exe, bin)
	for _, p := range []string{path, dir} {
		if err := os.Chmod(p, map[string]os.FileMode{path: 0o644, dir: 0o755}[p]); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "-test.run=^TestReadOnlyStoreFileReadable$")
	cmd.Env = append(os.Environ(), roChildEnv+"="+path, "HOME="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if !strings.Contains(string(out), "names: kept") {
		t.Fatalf("read of a store file nobody may write: %v\n%s", err, out)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Log("a -wal file exists")
	}
}

func copyExec(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
