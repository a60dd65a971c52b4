package arrowrows_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestArrowOnlyHere: Arrow and Parquet are linked by this package alone;
// a Flow using the driver, the database/sql adapter or odbc does not link
// them (nor their gRPC, pulled in by Parquet's schema storage).
func TestArrowOnlyHere(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the packages' imports")
	}
	out, err := exec.Command(gobin, "list", "-deps", "github.com/vapsql/vap/driver", "github.com/vapsql/vap/stdlib", "github.com/vapsql/vap/odbc").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list gave %d packages", len(deps))
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "github.com/apache/arrow-go/") || strings.HasPrefix(d, "google.golang.org/grpc") || strings.HasPrefix(d, "github.com/vapsql/vap/odbc/arrowrows") {
			t.Errorf("driver, stdlib or odbc links %s", d)
		}
	}
	out, err = exec.Command(gobin, "list", "-deps", "github.com/vapsql/vap/odbc/arrowrows").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	if !strings.Contains(string(out), "github.com/apache/arrow-go/v18/parquet/pqarrow\n") {
		t.Error("arrowrows does not link pqarrow: the check above proves nothing")
	}
}
