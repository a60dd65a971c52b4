package azuread_test

import (
	"fmt"
	"os"
	"testing"
)

// TestMain gives sql.Open("vap", …) a private default store: a fresh
// VAP_HOME, and nothing of the machine's store settings.
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "vap-azuread-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("VAP_HOME", home)
	for _, k := range []string{"VAP_STORE", "VAP_KEYSET", "VAP_KEYSET_FILE"} {
		os.Unsetenv(k)
	}
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}
