package sqltext_test

import (
	"fmt"

	"github.com/vapsql/vap/peer/sqltext"
)

func ExampleTokenize() {
	for _, t := range sqltext.Tokenize("SELECT n, 'a;b' FROM t WHERE id = :id") {
		if t.Kind != sqltext.Space {
			fmt.Printf("%s %q\n", t.Kind, t.Text)
		}
	}
	// Output:
	// Word "SELECT"
	// Word "n"
	// Punct ","
	// String "'a;b'"
	// Word "FROM"
	// Word "t"
	// Word "WHERE"
	// Word "id"
	// Punct "="
	// Param ":id"
}

func ExampleSplit() {
	for _, s := range sqltext.Split("CREATE TABLE t (s TEXT); INSERT INTO t VALUES ('x;y');\n-- done\n") {
		fmt.Println(s)
	}
	// Output:
	// CREATE TABLE t (s TEXT)
	// INSERT INTO t VALUES ('x;y')
}

func ExampleCallArgs() {
	toks := sqltext.Tokenize("repeat('ab', n + 1)")
	args, end, ok := sqltext.CallArgs(toks, 0)
	fmt.Println(args, end == len(toks)-1, ok)
	// Output:
	// ['ab' n + 1] true true
}
