package credential_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCloudSDKsOnlyWhereImported: the AWS and Azure SDKs are linked only
// by the subpackages that use them (credential/awsiam,
// credential/azuread), never by the credential package, the driver, the
// database/sql adapter or the connection types, so a Flow that uses
// neither auth type does not link them.
func TestCloudSDKsOnlyWhereImported(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the packages' imports")
	}
	light := []string{"github.com/vapsql/vap/credential", "github.com/vapsql/vap/driver", "github.com/vapsql/vap/stdlib", "github.com/vapsql/vap/registry/all"}
	out, err := exec.Command(gobin, append([]string{"list", "-deps"}, light...)...).Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		if heavy(d) {
			t.Errorf("%v link %s", light, d)
		}
	}
	// And the subpackages do link them (the check above would pass
	// vacuously if the module paths changed).
	for pkg, sdk := range map[string]string{
		"github.com/vapsql/vap/credential/awsiam":  "github.com/aws/aws-sdk-go-v2/feature/rds/auth",
		"github.com/vapsql/vap/credential/azuread": "github.com/Azure/azure-sdk-for-go/sdk/azidentity",
	} {
		out, err := exec.Command(gobin, "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		if !strings.Contains(string(out), sdk+"\n") || !heavy(sdk) {
			t.Errorf("%s does not link %s", pkg, sdk)
		}
	}
}

func heavy(pkg string) bool {
	for _, p := range []string{"github.com/aws/", "github.com/Azure/", "github.com/AzureAD/"} {
		if strings.HasPrefix(pkg, p) {
			return true
		}
	}
	return false
}
