package peerproc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The test binary is its own peer child: envChild makes TestMain serve the
// behavior envMode names instead of running the tests.
const (
	envChild = "VAP_PEERPROC_TEST_CHILD"
	envMode  = "VAP_PEERPROC_TEST_MODE"
)

type testAddr struct {
	Addr string `json:"addr"`
}

func TestMain(m *testing.M) {
	if Child(envChild) {
		os.Exit(Serve(childServe))
	}
	os.Exit(m.Run())
}

// childServe is the child's peer: per envMode an echo server ("echo"), a
// failure before announcing ("fail"), a line that is not JSON ("nonjson"),
// or an echo server that ignores the end of stdin ("stubborn").
func childServe(ctx context.Context, w io.Writer) error {
	mode := os.Getenv(envMode)
	switch mode {
	case "fail":
		return errors.New("child cannot serve: port taken")
	case "nonjson":
		fmt.Fprintln(w, "listening on 127.0.0.1:1")
		<-ctx.Done()
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	if err := Announce(w, testAddr{Addr: ln.Addr().String()}); err != nil {
		return err
	}
	if mode == "stubborn" {
		select {}
	}
	<-ctx.Done()
	return nil
}

// TestStartEchoStop: the child announces its address, serves there, and is
// gone once the test that started it has ended.
func TestStartEchoStop(t *testing.T) {
	var a testAddr
	t.Run("serve", func(t *testing.T) {
		a = StartAs[testAddr](t, envChild, envMode+"=echo")
		c, err := net.Dial("tcp", a.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintln(c, "ping")
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || line != "ping\n" {
			t.Fatalf("echo: %q, %v", line, err)
		}
	})
	if a.Addr == "" {
		t.Fatal("no address")
	}
	if c, err := net.Dial("tcp", a.Addr); err == nil {
		c.Close()
		t.Fatalf("the child still listens at %s after its test ended", a.Addr)
	}
}

func TestStartRaw(t *testing.T) {
	raw := Start(t, envChild, envMode+"=echo")
	if !strings.HasPrefix(string(raw), `{"addr":"127.0.0.1:`) || strings.HasSuffix(string(raw), "\n") {
		t.Errorf("raw line %q", raw)
	}
}

// fakeTB records Fatalf and Errorf; Fatalf ends the calling goroutine as
// testing.T's does. Its cleanups run when cleanup is called.
type fakeTB struct {
	testing.TB
	mu       sync.Mutex
	fatal    []string
	errs     []string
	cleanups []func()
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Cleanup(fn func()) { f.mu.Lock(); f.cleanups = append(f.cleanups, fn); f.mu.Unlock() }
func (f *fakeTB) Errorf(s string, a ...any) {
	f.mu.Lock()
	f.errs = append(f.errs, fmt.Sprintf(s, a...))
	f.mu.Unlock()
}
func (f *fakeTB) Fatalf(s string, a ...any) {
	f.mu.Lock()
	f.fatal = append(f.fatal, fmt.Sprintf(s, a...))
	f.mu.Unlock()
	runtime.Goexit()
}

// run calls fn in a goroutine of its own, so a Fatalf ends only fn.
func (f *fakeTB) run(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
}

func (f *fakeTB) cleanup() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}

// TestStartRefuses: a child that fails, one that announces no JSON and bad
// arguments each fail the test with a message saying why, and a child that
// ran is waited for.
func TestStartRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, env, mode, want string
	}{
		{"child fails", envChild, "fail", "child cannot serve: port taken"},
		{"not JSON", envChild, "nonjson", "announced no address"},
		{"no variable", "", "echo", "bad environment variable name"},
		{"variable with =", "A=B", "echo", "bad environment variable name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeTB{}
			returned := false
			f.run(func() {
				Start(f, tc.env, envMode+"="+tc.mode)
				returned = true
			})
			f.cleanup()
			if returned || len(f.fatal) != 1 || !strings.Contains(f.fatal[0], tc.want) {
				t.Errorf("returned %v, fatal %q; want one containing %q", returned, f.fatal, tc.want)
			}
			if len(f.errs) != 0 {
				t.Errorf("errors %q", f.errs)
			}
		})
	}
	t.Run("bad extra env", func(t *testing.T) {
		f := &fakeTB{}
		f.run(func() { Start(f, envChild, "=secret-value") })
		if len(f.fatal) != 1 || !strings.Contains(f.fatal[0], "not NAME=value") || strings.Contains(f.fatal[0], "secret-value") {
			t.Errorf("fatal %q; want one saying not NAME=value, without the value", f.fatal)
		}
	})
	t.Run("not an object", func(t *testing.T) {
		f := &fakeTB{}
		f.run(func() { StartAs[[]int](f, envChild, envMode+"=echo") })
		f.cleanup()
		if len(f.fatal) != 1 || !strings.Contains(f.fatal[0], "decode the announced address") {
			t.Errorf("fatal %q", f.fatal)
		}
	})
}

// TestStopKills: a child that keeps serving after its stdin closed is
// killed, and the test is told.
func TestStopKills(t *testing.T) {
	defer func(d time.Duration) { stopWait = d }(stopWait)
	stopWait = time.Second
	f := &fakeTB{}
	var a testAddr
	f.run(func() { a = StartAs[testAddr](f, envChild, envMode+"=stubborn") })
	if len(f.fatal) != 0 || a.Addr == "" {
		t.Fatalf("start: %q", f.fatal)
	}
	f.cleanup()
	if len(f.errs) != 1 || !strings.Contains(f.errs[0], "did not stop when its stdin closed") {
		t.Errorf("errors %q; want one saying the child did not stop", f.errs)
	}
	if c, err := net.Dial("tcp", a.Addr); err == nil {
		c.Close()
		t.Errorf("the killed child still listens at %s", a.Addr)
	}
}

// TestServe: Serve's context ends with stdin, and a failure is exit code 1
// with the error on stderr.
func TestServe(t *testing.T) {
	stdinR, stdinW := io.Pipe()
	var out, errOut strings.Builder
	done := make(chan int)
	go func() {
		done <- serveWith(stdinR, &out, &errOut, func(ctx context.Context, w io.Writer) error {
			if err := Announce(w, testAddr{Addr: "x"}); err != nil {
				return err
			}
			<-ctx.Done()
			return nil
		})
	}()
	stdinW.Close()
	if code := <-done; code != 0 || out.String() != "{\"addr\":\"x\"}\n" {
		t.Errorf("code %d, stdout %q", code, out.String())
	}
	code := serveWith(strings.NewReader(""), &out, &errOut, func(context.Context, io.Writer) error { return errors.New("boom") })
	if code != 1 || errOut.String() != "boom\n" {
		t.Errorf("code %d, stderr %q", code, errOut.String())
	}
	if err := Announce(io.Discard, func() {}); err == nil {
		t.Error("Announce of a func: no error")
	}
}
