package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	_ "github.com/vapsql/vap/driver" // every connection type and store backend
	"github.com/vapsql/vap/internal/redact"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

// Exit statuses; doc.go documents them.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130 // 128 + SIGINT, as shells report it
)

func main() {
	// SIGINT and SIGTERM cancel the command's context: a running query is
	// cancelled on the server and the command returns. A second signal, once
	// the first has been taken, kills the process (the default action).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// app is what every command shares: its streams and the store.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	storeURL       string
	st             *store.Store
	secrets        []string // values typed on this command line, scrubbed from errors
}

// store opens the store once.
func (a *app) store() *store.Store {
	if a.st == nil {
		var opts []store.Option
		if a.storeURL != "" {
			opts = append(opts, store.WithURL(a.storeURL))
		}
		a.st = store.Open(opts...)
	}
	return a.st
}

// connector returns the vap connector for name on the app's store.
func (a *app) connector(name string) (*stdlib.Connector, error) {
	return stdlib.NewConnector(name, stdlib.WithStore(a.store()))
}

// commands lists constructors of top-level commands; files add theirs in init.
var commands []func(*app) *cobra.Command

// usageError marks errors that exit with status 2. usage, when set, is the
// usage line of the command that was misused.
type usageError struct {
	error
	usage string
}

func (u usageError) Unwrap() error { return u.error }

func usagef(format string, args ...any) error { return usageError{error: fmt.Errorf(format, args...)} }

// version is the module version the binary was built from, with the VCS
// revision when the build recorded one.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		v += " " + rev[:min(12, len(rev))] + dirty
	}
	return v + " " + bi.GoVersion
}

func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:           "vap",
		Short:         "Named, encrypted database connections for Flows",
		Long:          "vap stores named database connections with their secrets encrypted, and opens them by name.\n\nExit status: 0 success, 1 failure, 2 usage error, 130 interrupted (SIGINT or SIGTERM).",
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("vap {{.Version}}\n")
	root.PersistentFlags().StringVar(&a.storeURL, "store", "", "store URL or path (default: $VAP_STORE, else $VAP_HOME/store.db)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{error: err, usage: c.UseLine()} })
	for _, f := range commands {
		root.AddCommand(f(a))
	}
	root.InitDefaultCompletionCmd()
	strict(root)
	completion(a, root)
	return root
}

// strict makes every command of the tree shell-friendly: a group (a command
// with subcommands and nothing to run itself) fails with a usage error on an
// unknown subcommand instead of printing its help and succeeding, and an
// argument count error carries the command's usage line.
func strict(c *cobra.Command) {
	for _, sub := range c.Commands() {
		strict(sub)
	}
	if c.HasSubCommands() && c.Run == nil && c.RunE == nil {
		c.Args = cobra.ArbitraryArgs
		if c.SuggestionsMinimumDistance <= 0 {
			c.SuggestionsMinimumDistance = 2
		}
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				if cmd.HasParent() {
					return usageError{error: fmt.Errorf("%s needs a subcommand", cmd.CommandPath()), usage: cmd.CommandPath() + " COMMAND (" + subNames(cmd) + ")"}
				}
				return cmd.Help()
			}
			msg := fmt.Sprintf("unknown command %s for %s", quote(args[0]), cmd.CommandPath())
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				msg += "; did you mean " + strings.Join(s, " or ") + "?"
			}
			return usageError{error: errors.New(msg), usage: cmd.CommandPath() + " COMMAND (" + subNames(cmd) + ")"}
		}
		return
	}
	if c.Args != nil {
		check := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return usageError{error: err, usage: cmd.UseLine()}
			}
			return nil
		}
	}
}

// subNames lists a group's visible subcommands.
func subNames(c *cobra.Command) string {
	var names []string
	for _, s := range c.Commands() {
		if s.IsAvailableCommand() {
			names = append(names, s.Name())
		}
	}
	return strings.Join(names, ", ")
}

// run executes the CLI and returns the exit status. Errors print as one line
// (a usage error adds the usage line, a server error that points into the
// SQL adds that line with a caret), made safe for a terminal and scrubbed of
// every secret the command line or the store handed us.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRoot(a)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	_, err := root.ExecuteContextC(ctx)
	if a.st != nil {
		a.st.Close()
	}
	if err == nil {
		return exitOK
	}
	scrub := func(s string) string { return redact.String(s, a.secrets...) }
	msg := strings.ReplaceAll(scrub(err.Error()), "\n", " ")
	fmt.Fprintln(stderr, "vap: "+escape(strings.TrimPrefix(msg, "vap: ")))
	for _, line := range errorContext(err) {
		fmt.Fprintln(stderr, scrub(line)) // escaped by errorContext
	}
	var ue usageError
	switch {
	case ctx.Err() != nil:
		return exitInterrupted
	case errors.As(err, &ue):
		if ue.usage != "" {
			fmt.Fprintln(stderr, "usage: "+ue.usage)
		}
		return exitUsage
	case strings.HasPrefix(err.Error(), "unknown command"):
		return exitUsage
	}
	return exitFailure
}
