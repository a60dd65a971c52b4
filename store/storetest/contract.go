package storetest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
)

// Opener returns a fresh, empty backend for one test. It registers the
// backend's cleanup with t.Cleanup; the suite may also Close it first.
type Opener func(t *testing.T) backend.Backend

// Run runs the store contract against the backends open returns. Every
// subtest gets its own empty backend.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, backend.Backend)
	}{
		{"InsertGet", testInsertGet},
		{"InsertDuplicate", testInsertDuplicate},
		{"Missing", testMissing},
		{"Names", testNames},
		{"ListSorted", testListSorted},
		{"UpdateCompareAndSwap", testUpdateCAS},
		{"ConcurrentUpdatesLoseNothing", testConcurrentUpdates},
		{"Delete", testDelete},
		{"ReplaceAll", testReplaceAll},
		{"ReplaceAllAbort", testReplaceAllAbort},
		{"Watch", testWatch},
		{"StoreRoundTrip", testStoreRoundTrip},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// record returns a record as the store would hand it to a backend.
func record(name string, fields map[string]backend.SealedField) *backend.Record {
	if fields == nil {
		fields = map[string]backend.SealedField{
			"host":     {Value: "db.example.internal"},
			"port":     {Value: "5432"},
			"password": {Value: "AQAAAAFzZWFsZWQ=", Secret: true},
		}
	}
	return &backend.Record{Name: name, Type: "postgresql", Fields: fields}
}

func mustInsert(t *testing.T, b backend.Backend, r *backend.Record) {
	t.Helper()
	if err := b.Insert(ctx(t), r); err != nil {
		t.Fatalf("Insert(%q): %v", r.Name, err)
	}
}

func mustGet(t *testing.T, b backend.Backend, name string) *backend.Record {
	t.Helper()
	r, err := b.Get(ctx(t), name)
	if err != nil {
		t.Fatalf("Get(%q): %v", name, err)
	}
	return r
}

func sameFields(a, b map[string]backend.SealedField) bool { return maps.Equal(a, b) }

func testInsertGet(t *testing.T, b backend.Backend) {
	before := time.Now().Add(-time.Minute)
	in := record("my-postgres-connection", nil)
	mustInsert(t, b, in)
	got := mustGet(t, b, in.Name)
	if got.Name != in.Name || got.Type != in.Type || got.Version != 1 || !sameFields(got.Fields, in.Fields) {
		t.Fatalf("Get = %+v, want %+v at version 1", got, in)
	}
	if got.CreatedAt.Before(before) || got.UpdatedAt.Before(before) {
		t.Errorf("timestamps not set: created %v updated %v", got.CreatedAt, got.UpdatedAt)
	}
	v, err := b.Version(ctx(t), in.Name)
	if err != nil || v != 1 {
		t.Fatalf("Version = %d, %v; want 1", v, err)
	}
}

func testInsertDuplicate(t *testing.T, b backend.Backend) {
	mustInsert(t, b, record("dup", nil))
	err := b.Insert(ctx(t), record("dup", map[string]backend.SealedField{"host": {Value: "other"}}))
	if !errors.Is(err, store.ErrExists) {
		t.Fatalf("second Insert: %v, want ErrExists", err)
	}
	if got := mustGet(t, b, "dup"); got.Fields["host"].Value != "db.example.internal" || got.Version != 1 {
		t.Fatalf("a refused Insert changed the record: %+v", got)
	}
}

func testMissing(t *testing.T, b backend.Backend) {
	c := ctx(t)
	checks := []struct {
		op  string
		err error
	}{
		{"Get", func() error { _, err := b.Get(c, "nope"); return err }()},
		{"Version", func() error { _, err := b.Version(c, "nope"); return err }()},
		{"Update", b.Update(c, &backend.Record{Name: "nope", Type: "postgresql", Version: 1, Fields: map[string]backend.SealedField{}})},
		{"Delete", b.Delete(c, "nope")},
	}
	for _, ck := range checks {
		t.Run(ck.op, func(t *testing.T) {
			if !errors.Is(ck.err, store.ErrNotFound) {
				t.Fatalf("%s of a missing name: %v, want ErrNotFound", ck.op, ck.err)
			}
		})
	}
	list, err := b.List(c)
	if err != nil || len(list) != 0 {
		t.Fatalf("List of an empty store = %d records, %v", len(list), err)
	}
}

// names are the awkward ones a store must keep byte for byte.
var names = []string{
	"my-databricks-connection",
	"Ünïcødé connection ✓",
	"with 'quotes' and \"double\" quotes; DROP TABLE x; --",
	"percent % underscore _ backslash \\",
	"nul\x00byte",
	"  leading and trailing spaces  ",
	"名前",
	strings.Repeat("n", store.MaxNameLen),
}

func testNames(t *testing.T, b backend.Backend) {
	for i, n := range names {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			mustInsert(t, b, record(n, nil))
			if got := mustGet(t, b, n); got.Name != n {
				t.Fatalf("name came back as %q", got.Name)
			}
		})
	}
	// A name differing only by case or trailing space is another name.
	if _, err := b.Get(ctx(t), "MY-DATABRICKS-CONNECTION"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("names must be case-sensitive: %v", err)
	}
	if _, err := b.Get(ctx(t), "nul"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a name must not be cut at NUL: %v", err)
	}
}

func testListSorted(t *testing.T, b backend.Backend) {
	for _, n := range names {
		mustInsert(t, b, record(n, nil))
	}
	list, err := b.List(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range list {
		got = append(got, r.Name)
		if r.Version != 1 || len(r.Fields) != 3 {
			t.Errorf("List record %q: version %d, %d fields", r.Name, r.Version, len(r.Fields))
		}
	}
	want := slices.Sorted(slices.Values(names)) // byte order, as Go sorts strings
	if !slices.Equal(got, want) {
		t.Fatalf("List order = %q\nwant %q", got, want)
	}
}

func testUpdateCAS(t *testing.T, b backend.Backend) {
	mustInsert(t, b, record("cas", nil))
	upd := record("cas", map[string]backend.SealedField{"host": {Value: "new-host"}, "password": {Value: "bmV3", Secret: true}})
	upd.Version = 1
	if err := b.Update(ctx(t), upd); err != nil {
		t.Fatalf("Update at the current version: %v", err)
	}
	got := mustGet(t, b, "cas")
	if got.Version != 2 || !sameFields(got.Fields, upd.Fields) {
		t.Fatalf("after Update: %+v", got)
	}
	if !got.UpdatedAt.After(got.CreatedAt) && !got.UpdatedAt.Equal(got.CreatedAt) {
		t.Errorf("updated_at %v before created_at %v", got.UpdatedAt, got.CreatedAt)
	}
	stale := record("cas", map[string]backend.SealedField{"host": {Value: "stale-host"}})
	stale.Version = 1
	if err := b.Update(ctx(t), stale); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Update at a stale version: %v, want ErrConflict", err)
	}
	if got := mustGet(t, b, "cas"); got.Version != 2 || got.Fields["host"].Value != "new-host" {
		t.Fatalf("a refused Update changed the record: %+v", got)
	}
}

func testConcurrentUpdates(t *testing.T, b backend.Backend) {
	mustInsert(t, b, record("race", map[string]backend.SealedField{"n": {Value: "0"}}))
	const workers, rounds = 4, 10
	var mu sync.Mutex
	won := 0
	var wg sync.WaitGroup
	c := ctx(t)
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Go(func() {
			for range rounds {
				r, err := b.Get(c, "race")
				if err != nil {
					errs <- err
					return
				}
				r.Fields = map[string]backend.SealedField{"n": {Value: fmt.Sprint(w)}}
				switch err := b.Update(c, r); {
				case err == nil:
					mu.Lock()
					won++
					mu.Unlock()
				case !errors.Is(err, store.ErrConflict):
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := mustGet(t, b, "race")
	if got.Version != int64(won)+1 {
		t.Fatalf("%d updates succeeded but the version is %d: an update was lost or counted twice", won, got.Version)
	}
	if won == 0 {
		t.Fatal("no update succeeded")
	}
}

func testDelete(t *testing.T, b backend.Backend) {
	mustInsert(t, b, record("gone", nil))
	mustInsert(t, b, record("kept", nil))
	if err := b.Delete(ctx(t), "gone"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(ctx(t), "gone"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	if err := b.Delete(ctx(t), "gone"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second Delete: %v", err)
	}
	mustGet(t, b, "kept")
	// The name can be used again; a re-created name continues above its old
	// version, so a connector holding the old version notices.
	re := record("gone", nil)
	mustInsert(t, b, re)
	if got := mustGet(t, b, "gone"); got.Version != 2 || re.Version != 2 {
		t.Fatalf("re-created record at version %d, Insert reported %d; want 2 (above the deleted version 1)", got.Version, re.Version)
	}
	upd := record("gone", nil)
	upd.Version = 2
	if err := b.Update(ctx(t), upd); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(ctx(t), "gone"); err != nil {
		t.Fatal(err)
	}
	re = record("gone", nil)
	mustInsert(t, b, re)
	if v, err := b.Version(ctx(t), "gone"); err != nil || v != 4 || re.Version != 4 {
		t.Fatalf("re-created after reaching version 3: Version %d (%v), Insert reported %d; want 4", v, err, re.Version)
	}
	// A name never deleted still starts at 1, and Insert says so.
	fresh := record("fresh", nil)
	mustInsert(t, b, fresh)
	if fresh.Version != 1 {
		t.Fatalf("Insert of a new name reported version %d, want 1", fresh.Version)
	}
}

func testReplaceAll(t *testing.T, b backend.Backend) {
	for _, n := range []string{"a", "b", "c"} {
		mustInsert(t, b, record(n, nil))
	}
	bump := record("b", nil)
	bump.Version = 1
	if err := b.Update(ctx(t), bump); err != nil {
		t.Fatal(err)
	}
	var seen []string
	err := b.ReplaceAll(ctx(t), func(r *backend.Record) (*backend.Record, error) {
		seen = append(seen, r.Name)
		nr := *r
		nr.Fields = maps.Clone(r.Fields)
		nr.Fields["password"] = backend.SealedField{Value: "cmVzZWFsZWQ=", Secret: true}
		return &nr, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []string{"a", "b", "c"}) {
		t.Errorf("ReplaceAll saw %q", seen)
	}
	for n, want := range map[string]int64{"a": 2, "b": 3, "c": 2} {
		got := mustGet(t, b, n)
		if got.Version != want || got.Fields["password"].Value != "cmVzZWFsZWQ=" || got.Fields["host"].Value != "db.example.internal" {
			t.Errorf("%s after ReplaceAll: %+v, want version %d and the new password", n, got, want)
		}
	}
}

func testReplaceAllAbort(t *testing.T, b backend.Backend) {
	for _, n := range []string{"a", "b", "c"} {
		mustInsert(t, b, record(n, nil))
	}
	boom := errors.New("boom")
	err := b.ReplaceAll(ctx(t), func(r *backend.Record) (*backend.Record, error) {
		if r.Name == "c" {
			return nil, boom
		}
		nr := *r
		nr.Fields = map[string]backend.SealedField{"host": {Value: "changed"}}
		return &nr, nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("ReplaceAll = %v, want fn's error", err)
	}
	for _, n := range []string{"a", "b", "c"} {
		if got := mustGet(t, b, n); got.Version != 1 || got.Fields["host"].Value != "db.example.internal" {
			t.Errorf("an aborted ReplaceAll changed %s: %+v", n, got)
		}
	}
}

// testWatch checks a Watcher reports commits made after Watch returned. A
// backend that is no Watcher passes trivially.
func testWatch(t *testing.T, b backend.Backend) {
	w, ok := b.(backend.Watcher)
	if !ok {
		t.Skip("backend is no backend.Watcher")
	}
	wctx, cancel := context.WithCancel(ctx(t))
	ch, err := w.Watch(wctx)
	if errors.Is(err, backend.ErrWatchUnsupported) {
		cancel()
		t.Skip("this backend cannot watch")
	}
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	wait := func(what, name string) {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for {
			select {
			case got, ok := <-ch:
				if !ok {
					t.Fatalf("watch closed before reporting %s", what)
				}
				if got == "" || got == name {
					return
				}
			case <-deadline:
				t.Fatalf("no report of %s within 30s", what)
			}
		}
	}
	mustInsert(t, b, record("watched", nil))
	wait("an insert", "watched")
	upd := record("watched", nil)
	upd.Version = 1
	if err := b.Update(ctx(t), upd); err != nil {
		t.Fatal(err)
	}
	wait("an update", "watched")
	if err := b.Delete(ctx(t), "watched"); err != nil {
		t.Fatal(err)
	}
	wait("a delete", "watched")
	cancel()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("watch channel not closed 30s after its context ended")
		}
	}
}
