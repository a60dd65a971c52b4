package conformance_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// blindObserver sees no statement and ends no session.
type blindObserver struct{}

func (blindObserver) Running(context.Context) ([]string, error) { return nil, nil }
func (blindObserver) DropSessions(context.Context) (int, error) { return 0, nil }

// brokenObserver fails every call.
type brokenObserver struct{}

var errObserver = errors.New("observer unreachable")

func (brokenObserver) Running(context.Context) ([]string, error) { return nil, errObserver }
func (brokenObserver) DropSessions(context.Context) (int, error) { return 0, errObserver }

// TestObserverChecks runs the observed checks on an in-process peer with
// observers that cannot prove them, and without one: each must fail, or be
// declared not provable, never pass.
func TestObserverChecks(t *testing.T) {
	token := "dapi-" + randHex()
	p, err := dbsqlpeer.Start(dbsqlpeer.Config{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	st := testenv.Store(t)
	testenv.Put(t, st, "observed", "databricks", map[string]string{
		"server_hostname": p.Host(), "port": strconv.Itoa(p.Port()), "http_path": p.HTTPPath(), "access_token": token,
	})
	only := func(ids ...string) map[string]string {
		var others []string
		for _, id := range conformance.Checks() {
			if id != "ping" && !slices.Contains(ids, id) {
				others = append(others, id)
			}
		}
		return conformance.GapsFor(others, "not under test")
	}
	for _, tc := range []struct {
		name     string
		observer conformance.Observer
		checks   []string
		failed   map[string]string // check ID → text its detail must contain
		declared []string
	}{
		// (For cancel and deadline a blind observer costs the checks' full
		// waits; the broken one takes their observer path at once.)
		{"blind", blindObserver{}, []string{"pool-recovery"},
			map[string]string{"pool-recovery": "ended 0 sessions; the pool held 4"}, nil},
		{"broken", brokenObserver{}, []string{"cancel", "deadline", "pool-recovery"},
			map[string]string{"cancel": "observer unreachable", "deadline": "observer unreachable", "pool-recovery": "observer unreachable"}, nil},
		{"none", nil, []string{"cancel", "deadline", "pool-recovery"}, nil, []string{"cancel", "deadline", "pool-recovery"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := byID(conformance.Check(t.Context(), conformance.Target{Name: "observed", Store: st,
				Gaps: only(tc.checks...), Observer: tc.observer}))
			if r := rs["ping"]; r.Status != conformance.Pass {
				t.Fatalf("ping: %s %s", r.Status, r.Detail)
			}
			for id, want := range tc.failed {
				if r := rs[id]; r.Status != conformance.Fail || !strings.Contains(r.Detail, want) {
					t.Errorf("%s: %s %q; want a failure containing %q", id, r.Status, r.Detail, want)
				}
			}
			for _, id := range tc.declared {
				if r := rs[id]; r.Status != conformance.NotProvable || !r.Declared || !strings.Contains(r.Detail, "Observer") {
					t.Errorf("%s: %s (declared %v) %q; want a declared n.p. naming the Observer", id, r.Status, r.Declared, r.Detail)
				}
			}
		})
	}
}
