package orapeer

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/vapsql/vap/peer/peerproc"
)

// Environment of the child process that serves a peer (peerproc).
const (
	envChild      = "ORAPEER_TEST_CHILD"
	envChildPW    = "ORAPEER_TEST_PASSWORD"
	envChildAdmin = "ORAPEER_TEST_ADMIN_TOKEN"
)

func TestMain(m *testing.M) {
	if peerproc.Child(envChild) {
		os.Exit(peerproc.Serve(func(ctx context.Context, w io.Writer) error {
			return Serve(ctx, Config{User: testUser, Password: os.Getenv(envChildPW), Service: "FREEPDB1",
				AdminToken: os.Getenv(envChildAdmin)}, w)
		}))
	}
	os.Exit(m.Run())
}
