package stdlib_test

import (
	"fmt"
	"os"
	"testing"
)

// TestMain points the default store (used by sql.Open("vap", …)) at a private
// home, so tests never touch the user's store.
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "vap-stdlib-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("VAP_HOME", home)
	os.Unsetenv("VAP_STORE")
	os.Unsetenv("VAP_KEYSET")
	os.Unsetenv("VAP_KEYSET_FILE")
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}
