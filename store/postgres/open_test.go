package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/postgres"
)

// TestOpenErrorsHoldNoPassword: a store URL's password never reaches an
// error, whatever goes wrong.
func TestOpenErrorsHoldNoPassword(t *testing.T) {
	const pw = "Canary-StorePw-41"
	tests := []struct{ name, url string }{
		{"unreachable", "postgres://u:" + pw + "@127.0.0.1:1/db?sslmode=disable&connect_timeout=5"},
		{"bad parameter", "postgres://u:" + pw + "@127.0.0.1/db?sslmode=sometimes"},
		{"not a URL", "postgres://u:" + pw + "@[::1/db"},
		{"escaped password", "postgres://u:" + strings.ReplaceAll(pw, "-", "%2D") + "@127.0.0.1:1/db?connect_timeout=5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := postgres.Open(context.Background(), tc.url)
			if err == nil {
				t.Fatal("Open succeeded")
			}
			if strings.Contains(err.Error(), pw) || strings.Contains(err.Error(), "StorePw") {
				t.Fatalf("the error holds the password: %s", strings.ReplaceAll(err.Error(), pw, "<PW>"))
			}
			_, err = backend.Open(context.Background(), tc.url)
			if err == nil || strings.Contains(err.Error(), "StorePw") {
				t.Fatal("OpenBackend: no error, or the error holds the password")
			}
		})
	}
}
