package peerproc

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// How long the parent waits for the child's address, and for the child to
// exit once its standard input is closed before killing it.
var (
	announceWait = time.Minute
	stopWait     = 30 * time.Second
)

// Child reports whether this process is a peer child started by Start with
// envVar: whether envVar is "1".
func Child(envVar string) bool { return os.Getenv(envVar) == "1" }

// Serve is the child's main: it calls serve with a context that ends when
// standard input closes (the parent stopped the child, or died) and with
// standard output, where serve writes its address as one JSON line (see
// Announce), and returns the exit code: 0 when serve returns nil, else 1
// after writing the error to standard error.
func Serve(serve func(ctx context.Context, announce io.Writer) error) int {
	return serveWith(os.Stdin, os.Stdout, os.Stderr, serve)
}

func serveWith(stdin io.Reader, stdout, stderr io.Writer, serve func(context.Context, io.Writer) error) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		_, _ = io.Copy(io.Discard, stdin)
		cancel()
	}()
	if err := serve(ctx, stdout); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// Announce writes addr to w as one line of JSON, the line Start reads.
func Announce(w io.Writer, addr any) error {
	line, err := json.Marshal(addr)
	if err != nil {
		return fmt.Errorf("peerproc: announce the address: %w", err)
	}
	if _, err := fmt.Fprintf(w, "%s\n", line); err != nil {
		return fmt.Errorf("peerproc: announce the address: %w", err)
	}
	return nil
}

// Start starts the running test binary again with envVar=1 and the
// variables extraEnv ("NAME=value") added to this process's environment,
// and returns the first line the child writes on standard output, which
// must be a JSON object. At the end of the test (t.Cleanup) it closes the
// child's standard input and waits for the child to exit; a child that has
// not exited after 30 seconds is killed and the test fails. The test fails
// at once (t.Fatal) when the child does not start or announces no JSON
// object within a minute; the message carries the child's standard error.
func Start(t testing.TB, envVar string, extraEnv ...string) json.RawMessage {
	t.Helper()
	if envVar == "" || strings.ContainsAny(envVar, "=\x00") {
		t.Fatalf("peerproc: bad environment variable name %q", envVar)
	}
	for _, kv := range extraEnv {
		if name, _, ok := strings.Cut(kv, "="); !ok || name == "" {
			t.Fatalf("peerproc: extra environment entry is not NAME=value (name %q)", name)
		}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("peerproc: find the test binary: %v", err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(append(os.Environ(), envVar+"=1"), extraEnv...)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatalf("peerproc: %v", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("peerproc: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("peerproc: start the peer process: %v", err)
	}
	exited := make(chan error, 1)
	t.Cleanup(func() {
		stdin.Close() // the child serves until its stdin closes
		select {
		case <-exited:
		case <-time.After(stopWait):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("peerproc: the peer process did not stop when its stdin closed; killed it")
		}
	})
	type announce struct {
		line []byte
		err  error
	}
	got := make(chan announce, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, err := r.ReadBytes('\n')
		got <- announce{line, err}
		_, _ = io.Copy(io.Discard, r)
		exited <- cmd.Wait()
	}()
	select {
	case an := <-got:
		err := an.err
		var obj map[string]json.RawMessage
		if err == nil {
			err = json.Unmarshal(an.line, &obj)
		}
		if err == nil && obj == nil {
			err = errors.New("the line is not a JSON object")
		}
		if err != nil {
			t.Fatalf("peerproc: the peer process announced no address: %v (stderr %q)", err, stderr.String())
		}
		return json.RawMessage(strings.TrimSpace(string(an.line)))
	case <-time.After(announceWait):
		t.Fatalf("peerproc: the peer process announced no address within %v (stderr %q)", announceWait, stderr.String())
	}
	return nil
}

// StartAs is Start with the announced line decoded into an A.
func StartAs[A any](t testing.TB, envVar string, extraEnv ...string) A {
	t.Helper()
	var a A
	raw := Start(t, envVar, extraEnv...)
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("peerproc: decode the announced address into %T: %v", a, err)
	}
	return a
}

// syncBuffer collects the child's standard error; writes and reads are
// serialized.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
