package vault

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyThisPackageLinksVault: no other package of the module imports
// Vault's API, so a Flow that does not import credential/vault does not
// link it (test files may: store's KMS tests use it).
func TestOnlyThisPackageLinksVault(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the module's imports")
	}
	out, err := exec.Command(gobin, "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "github.com/vapsql/vap/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	found := false
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		for _, imp := range f[1:] {
			if strings.HasPrefix(imp, "github.com/hashicorp/vault/") {
				if f[0] != "github.com/vapsql/vap/credential/vault" {
					t.Errorf("%s imports %s", f[0], imp)
				}
				found = true
			}
		}
	}
	if !found {
		t.Fatal("credential/vault does not import Vault's API: the listing is wrong")
	}
	out, err = exec.Command(gobin, "list", "-deps", "github.com/vapsql/vap/credential", "github.com/vapsql/vap/stdlib", "github.com/vapsql/vap/driver").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		if strings.HasPrefix(d, "github.com/hashicorp/vault/") {
			t.Errorf("credential, stdlib or driver links %s", d)
		}
	}
}
