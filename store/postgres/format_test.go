package postgres_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/vapsql/vap/store/postgres"
)

// TestBackendNeverPrintsPassword prints a backend opened with a password in
// its URL (the machine's server trusts loopback, so any password opens it).
func TestBackendNeverPrintsPassword(t *testing.T) {
	u, _ := url.Parse(storeURL(t, tempSchema(t)))
	u.User = url.UserPassword(u.User.Username(), "pg-backend-canary")
	b, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d"} {
		if s := fmt.Sprintf(verb, b); strings.Contains(s, "pg-backend-canary") {
			t.Errorf("%s leaks the store password", verb)
		}
	}
}
