package stdlib_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLinksNoFamilyNoBackend: the adapter imports no connection family, no
// store backend (the store's SPI and keyset packages are the store's own)
// and no cloud credential package (credential/vault, awsiam, …); programs
// choose those.
func TestLinksNoFamilyNoBackend(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the package's imports")
	}
	out, err := exec.Command(gobin, "list", "-deps", "github.com/vapsql/vap/stdlib").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		if strings.HasPrefix(d, "github.com/vapsql/vap/registry/") || (strings.HasPrefix(d, "github.com/vapsql/vap/store/") && d != "github.com/vapsql/vap/store/backend" && d != "github.com/vapsql/vap/store/keyset") ||
			d == "github.com/vapsql/vap/driver" || strings.HasPrefix(d, "github.com/vapsql/vap/credential/") || strings.HasPrefix(d, "github.com/jackc/") || strings.HasPrefix(d, "modernc.org/") {
			t.Errorf("stdlib links %s", d)
		}
	}
}

// TestLinksNoTinkNoProtobuf: the adapter, and with it the store and its
// keyset, links neither Tink nor protobuf: store/keyset reads Tink's
// formats itself (before, Tink and protobuf were most of a lean Flow's
// start-up cost over pgx's; README, Performance).
func TestLinksNoTinkNoProtobuf(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the package's imports")
	}
	out, err := exec.Command(gobin, "list", "-deps", "github.com/vapsql/vap/stdlib", "github.com/vapsql/vap/store/sqlite", "github.com/vapsql/vap/store/postgres").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		if strings.HasPrefix(d, "github.com/tink-crypto/") || strings.HasPrefix(d, "google.golang.org/protobuf/") {
			t.Errorf("a Flow on the store links %s", d)
		}
	}
}
