package conformance

import (
	"context"
	"os"
	"testing"
	"time"
)

// EnvRequire is the variable that, set to "1" (as CI does), makes Run fail
// a check that turns out not provable without the target declaring it.
const EnvRequire = "VAP_TEST_REQUIRE_SERVERS"

// DefaultTimeout bounds a whole run of the suite.
const DefaultTimeout = 5 * time.Minute

// Run runs the suite against target, one subtest per check: a failure fails
// its subtest, a declared gap or a feature the database lacks skips it with
// the reason. A check found not provable that the target did not declare
// skips too, unless VAP_TEST_REQUIRE_SERVERS=1, where it fails: in CI
// nothing is skipped silently. Run returns the results (for a matrix).
func Run(t *testing.T, target Target) []Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), DefaultTimeout)
	defer cancel()
	rs := Check(ctx, target)
	require := os.Getenv(EnvRequire) == "1"
	for _, r := range rs {
		t.Run(r.ID, func(t *testing.T) {
			switch r.Status {
			case Fail:
				t.Errorf("%s: %s", r.Title, r.Detail)
			case NotApplicable:
				t.Skipf("n/a: %s", r.Detail)
			case NotProvable:
				if !r.Declared && require {
					t.Fatalf("not provable here and not declared in Target.Gaps (%s=1): %s", EnvRequire, r.Detail)
				}
				t.Skipf("n.p.: %s", r.Detail)
			default:
				t.Log(r.Detail)
				if r.Note != "" {
					t.Log("note: " + r.Note)
				}
			}
		})
	}
	return rs
}
