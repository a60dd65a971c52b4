package peercmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Command is a peer command once its flags are declared.
type Command struct {
	// Flags is the command's flag set (NewFlagSet), its own flags declared.
	Flags *flag.FlagSet
	// Check, if set, validates the parsed flags; its error is printed and
	// the command exits 2.
	Check func() error
	// Serve serves the peer until ctx is done, announcing where it listens
	// on announce.
	Serve func(ctx context.Context, announce io.Writer) error
}

// NewFlagSet returns the flag set of the command named name, writing
// usage and parse errors to stderr.
func NewFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// Run parses args with c.Flags (adding -until-stdin-eof), checks them and
// serves until ctx is done or, with -until-stdin-eof, stdin closes. It
// returns the exit code: 0 after serving (or -h), 1 when serving fails,
// 2 for bad arguments.
func Run(ctx context.Context, c Command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := c.Flags
	untilEOF := fs.Bool("until-stdin-eof", false, "also stop when standard input closes")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return 2
	}
	if c.Check != nil {
		if err := c.Check(); err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
	}
	if *untilEOF {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() {
			_, _ = io.Copy(io.Discard, stdin)
			cancel()
		}()
	}
	if err := c.Serve(ctx, stdout); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// Main runs a command's run function (the process's arguments, environment
// and standard streams, a context that ends on SIGINT or SIGTERM) and
// exits with its code.
func Main(run func(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
