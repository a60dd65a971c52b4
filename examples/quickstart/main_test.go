package main

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestQuickstart runs the README's first command in-process, twice on the
// same VAP_HOME (the second run reuses the stored connection).
func TestQuickstart(t *testing.T) {
	t.Setenv("VAP_HOME", t.TempDir())
	t.Setenv("VAP_STORE", "")
	t.Setenv("VAP_KEYSET", "")
	t.Setenv("VAP_KEYSET_FILE", "")
	for i := range 2 {
		out := capture(t, func() error { return run(context.Background()) })
		for _, want := range []string{`stored connection "quickstart"`, "gearbox-a  3         62.90     64.2", "gearbox-c  1         55.00     55.0"} {
			if !strings.Contains(out, want) {
				t.Fatalf("run %d: output lacks %q:\n%s", i+1, want, out)
			}
		}
	}
}

func capture(t *testing.T, fn func() error) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		done <- b.String()
	}()
	err = fn()
	w.Close()
	os.Stdout = old
	out := <-done
	if err != nil {
		t.Fatal(err)
	}
	return out
}
