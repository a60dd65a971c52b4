// Package peercmdtest runs a peer command (cmd/dbsqlpeer, cmd/tdspeer,
// cmd/orapeer) in process for its tests: Start serves it with
// -until-stdin-eof and reads the line it announces, Stop closes its stdin
// and requires exit code 0, and BadArguments checks refused command lines.
package peercmdtest

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
)

// Run is a peer command's run function.
type Run func(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int

// Env returns a getenv that knows only vars.
func Env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// Cmd is a command running in process.
type Cmd struct {
	// Line is the first line the command wrote: where it listens.
	Line   string
	ctx    context.Context
	stdin  *io.PipeWriter
	code   chan int
	stderr *buffer
}

// buffer is a bytes.Buffer safe for the command's writes and the test's
// reads.
type buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Start runs the command with args (which should hold -until-stdin-eof)
// until ctx ends or Stop, and returns once it has announced a line; the
// rest of its output is discarded.
func Start(t testing.TB, ctx context.Context, run Run, args []string, getenv func(string) string) *Cmd {
	t.Helper()
	stdinR, stdinW := io.Pipe()
	outR, outW := io.Pipe()
	c := &Cmd{ctx: ctx, stdin: stdinW, code: make(chan int, 1), stderr: &buffer{}}
	go func() {
		c.code <- run(ctx, args, getenv, stdinR, outW, c.stderr)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		stdinW.Close()
		t.Fatalf("no announced line: %v (stderr %q)", err, c.stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	c.Line = line
	return c
}

// Stderr is what the command wrote to its standard error so far.
func (c *Cmd) Stderr() string { return c.stderr.String() }

// Stop closes the command's stdin and requires it to return exit code 0
// before its context ends.
func (c *Cmd) Stop(t testing.TB) {
	t.Helper()
	c.stdin.Close()
	select {
	case code := <-c.code:
		if code != 0 {
			t.Fatalf("exit code %d, stderr %q", code, c.stderr.String())
		}
	case <-c.ctx.Done():
		t.Fatal("the command did not stop when stdin closed")
	}
}

// BadArgument is a command line the command must refuse.
type BadArgument struct {
	Name string
	Args []string
	Want string // in the standard error
	Code int    // the exit code; 0: any but 0
}

// BadArguments runs each command line with an empty environment and
// requires a failing exit code (Code, when set), nothing on standard
// output and Want on standard error.
func BadArguments(t *testing.T, run Run, cases []BadArgument) {
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.Args, Env(nil), strings.NewReader(""), &out, &errb)
			if code == 0 || (tc.Code != 0 && code != tc.Code) || !strings.Contains(errb.String(), tc.Want) || out.Len() != 0 {
				t.Fatalf("code %d, stdout %q, stderr %q; want a failure (code %d if set) mentioning %q", code, out.String(), errb.String(), tc.Code, tc.Want)
			}
		})
	}
}
