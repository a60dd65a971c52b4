package keyset

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// helperEnv makes the test binary a child that rewrites a keyset file in a
// loop, printing a line after each write, until killed.
const helperEnv = "VAP_KEYSET_TEST_WRITE_LOOP"

func TestMain(m *testing.M) {
	if path := os.Getenv(helperEnv); path != "" {
		h, err := LoadOrCreate(path)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		for {
			nh, _, err := AddPrimary(h)
			if err != nil {
				fmt.Println("error:", err)
				os.Exit(1)
			}
			if err := Write(path, nh); err != nil {
				fmt.Println("error:", err)
				os.Exit(1)
			}
			fmt.Println("wrote")
		}
	}
	os.Exit(m.Run())
}

// TestKillDuringWriteLeavesNoKeyMaterial: a process killed with SIGKILL
// while it replaces the keyset file leaves no file but the keyset (and its
// lock) in the directory once the next writer takes the keyset lock: no
// temporary file with cleartext key material outlives the window of two
// system calls between naming a new keyset and renaming it into place.
func TestKillDuringWriteLeavesNoKeyMaterial(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keyset.json")
	for round := range 8 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), helperEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for i := 0; i < 5+round*3 && sc.Scan(); i++ {
			if strings.HasPrefix(sc.Text(), "error:") {
				t.Fatal(sc.Text())
			}
		}
		cmd.Process.Kill() // SIGKILL: no deferred cleanup runs
		cmd.Wait()
		unlock, err := Lock(context.Background(), path) // the next rotation
		if err != nil {
			t.Fatal(err)
		}
		unlock()
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.Name() != "keyset.json" && e.Name() != "keyset.json.lock" {
				t.Fatalf("round %d: %s left in the keyset directory after kill -9", round, e.Name())
			}
		}
		if _, err := Load(path); err != nil {
			t.Fatalf("round %d: the keyset file is unreadable after kill -9: %v", round, err)
		}
	}
}

// TestSymlinkedKeysetStaysLink: replacing a keyset reached through a
// symbolic link writes the file the link points to, leaving the link in
// place, and the lock is the resolved file's, whichever path is used.
func TestSymlinkedKeysetStaysLink(t *testing.T) {
	real := filepath.Join(t.TempDir(), "secrets", "vap-keyset.json")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	h, err := LoadOrCreate(real)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "keyset.json")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	nh, id, err := AddPrimary(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(link, nh); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the keyset link was replaced by a %v", fi.Mode())
	}
	if got := primary(t, real); got != id {
		t.Fatalf("the link's target holds primary %d, want %d", got, id)
	}
	unlock, err := Lock(context.Background(), link)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if u2, err := Lock(ctx, real); err == nil {
		u2()
		t.Fatal("the lock through the link and the lock on the file are different locks")
	}
}
