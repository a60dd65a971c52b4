package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	_ "github.com/vapsql/vap/driver" // every connection type and store backend
	"github.com/vapsql/vap/internal/redact"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
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

// usageError marks errors that exit with status 2.
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:           "vap",
		Short:         "Named, encrypted database connections for Flows",
		Long:          "vap stores named database connections with their secrets encrypted, and opens them by name.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&a.storeURL, "store", "", "store URL or path (default: $VAP_STORE, else $VAP_HOME/store.db)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	for _, f := range commands {
		root.AddCommand(f(a))
	}
	return root
}

// run executes the CLI and returns the exit status. Errors print as one line,
// scrubbed of every secret the command line or the store handed us.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRoot(a)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if a.st != nil {
		a.st.Close()
	}
	if err == nil {
		return 0
	}
	msg := strings.ReplaceAll(redact.String(err.Error(), a.secrets...), "\n", " ")
	fmt.Fprintln(stderr, "vap: "+strings.TrimPrefix(msg, "vap: "))
	var ue usageError
	if errors.As(err, &ue) || strings.HasPrefix(err.Error(), "unknown command") || strings.Contains(err.Error(), "accepts ") {
		return 2
	}
	return 1
}
