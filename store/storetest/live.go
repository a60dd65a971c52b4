package storetest

import (
	"bufio"
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/keyset"
)

// Environment of the writer process RunLive starts.
const (
	envWriter     = "VAP_STORETEST_LIVE_WRITER" // "1" in the writer
	envWriterURL  = "VAP_STORETEST_LIVE_STORE"
	envWriterName = "VAP_STORETEST_LIVE_NAME"
	envWriterMark = "VAP_STORETEST_LIVE_MARKER"
)

// LiveWriterMain must be called first thing in the TestMain of a package
// that calls RunLive. In the writer process RunLive starts (the test binary
// run again) it points the connection at the other database (a new
// marker), prints the time just before the update and exits; elsewhere it
// returns at once.
func LiveWriterMain() {
	if os.Getenv(envWriter) != "1" {
		return
	}
	if err := liveWrite(); err != nil {
		fmt.Fprintln(os.Stderr, "live writer:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func liveWrite() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st := store.Open(store.WithURL(os.Getenv(envWriterURL)), store.WithRegistry(types), store.WithoutEnvOverrides())
	defer st.Close()
	c, err := st.Get(ctx, os.Getenv(envWriterName))
	if err != nil {
		return err
	}
	c.Set("marker", os.Getenv(envWriterMark), false)
	start := time.Now()
	if err := st.Update(ctx, c); err != nil {
		return err
	}
	fmt.Printf("committed %d %d\n", start.UnixNano(), time.Now().UnixNano())
	return nil
}

// countingBackend counts Version round trips and keeps the inner backend's
// watch.
type countingBackend struct {
	backend.Backend
	versions atomic.Int64
}

func (b *countingBackend) Version(ctx context.Context, name string) (int64, error) {
	b.versions.Add(1)
	return b.Backend.Version(ctx, name)
}

func (b *countingBackend) Watch(ctx context.Context) (<-chan string, error) {
	if w, ok := b.Backend.(backend.Watcher); ok {
		return w.Watch(ctx)
	}
	return nil, backend.ErrWatchUnsupported
}

// LiveResult is what RunLive measured.
type LiveResult struct {
	Latencies       []time.Duration // per round: update started → first new physical connection on the new database
	Connects        int64           // physical connections the reader opened during the rounds
	VersionQueries  int64           // Version round trips to the backend the reader made during the rounds
	WriterStartTook time.Duration   // the slowest writer process, start to exit
}

// Connect returns the vap driver's connector for connection name of st,
// as the package calling RunLive has it (storetest imports no driver):
//
//	func(st *store.Store, name string) (driver.Connector, error) {
//		return vapdriver.NewConnector(name, vapdriver.WithStore(st), vapdriver.WithRegistry(st.Registry()))
//	}
type Connect func(st *store.Store, name string) (sqldriver.Connector, error)

// RunLive proves that a *sql.DB held by this process picks up a connection
// changed by another OS process sharing the store at storeURL. This process
// stores connection "live" (of the suite's own type, whose database answers
// every query with the connection's marker) on marker "0" and opens a
// *sql.DB on it through connect that keeps no idle connection, so every
// query is a new physical connection; then, rounds times, it runs the test
// binary again as a writer (see LiveWriterMain) that changes the marker, and
// measures how long after the writer began its update the reader's queries
// see the new marker. A round that does not switch within 30 s fails.
// open opens the reader's own backend on the same store.
//
// The package calling RunLive must call LiveWriterMain from TestMain, and
// VAP_KEYSET is set for the writer to this run's fresh keyset.
func RunLive(t *testing.T, storeURL string, rounds int, open func(t *testing.T) backend.Backend, connect Connect) LiveResult {
	t.Helper()
	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	ks, err := keyset.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	cb := &countingBackend{Backend: open(t)}
	st := store.Open(store.WithBackend(cb), store.WithKeyset(h), store.WithRegistry(types), store.WithoutEnvOverrides())
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	conn := &store.Connection{Name: "live", Type: markerType.Name}
	conn.Set("marker", "0", false)
	if err := st.Create(ctx, conn); err != nil {
		t.Fatal(err)
	}

	connector, err := connect(st, "live")
	if err != nil {
		t.Fatal(err)
	}
	var connects atomic.Int64
	db := sql.OpenDB(countingConnector{connector, &connects})
	defer db.Close()
	db.SetMaxIdleConns(-1) // keep none: every query is a new physical connection

	// The reader: query in a loop, note when each marker is first seen.
	var mu sync.Mutex
	firstSeen := map[string]time.Time{}
	current := "0"
	stop := make(chan struct{})
	readerDone := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				readerDone <- nil
				return
			default:
			}
			var v string
			if err := db.QueryRowContext(ctx, `SELECT v FROM marker`).Scan(&v); err != nil {
				readerDone <- err
				return
			}
			now := time.Now()
			mu.Lock()
			if v != current {
				current = v
				firstSeen[v] = now
			}
			mu.Unlock()
			time.Sleep(time.Millisecond)
		}
	}()
	defer func() {
		select {
		case <-readerDone:
		default:
			close(stop)
			if err := <-readerDone; err != nil {
				t.Errorf("reader: %v", err)
			}
		}
	}()

	// Let the store's watch go live: then connections stop asking the
	// backend for the version.
	warm := time.Now().Add(30 * time.Second)
	for {
		q0, c0 := cb.versions.Load(), connects.Load()
		for connects.Load() < c0+50 && time.Now().Before(warm) {
			time.Sleep(time.Millisecond)
		}
		if cb.versions.Load() == q0 {
			break
		}
		if time.Now().After(warm) {
			t.Fatal("every new connection still asks the backend for the version after 30s: the store's watch never went live")
		}
	}
	q0, c0 := cb.versions.Load(), connects.Load()

	var res LiveResult
	for r := range rounds {
		target := strconv.Itoa((r + 1) % 2)
		mu.Lock()
		delete(firstSeen, target)
		mu.Unlock()
		began := time.Now()
		start, err := runWriter(t, storeURL, string(ks), target)
		if err != nil {
			t.Fatalf("round %d: %v", r, err)
		}
		res.WriterStartTook = max(res.WriterStartTook, time.Since(began))
		deadline := time.Now().Add(30 * time.Second)
		for {
			mu.Lock()
			seen, ok := firstSeen[target]
			mu.Unlock()
			if ok {
				res.Latencies = append(res.Latencies, seen.Sub(start))
				break
			}
			select {
			case err := <-readerDone:
				readerDone <- err
				t.Fatalf("round %d: reader stopped: %v", r, err)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("round %d: the reader still uses the old database 30s after another process updated the connection", r)
			}
			time.Sleep(time.Millisecond)
		}
	}
	res.Connects = connects.Load() - c0
	res.VersionQueries = cb.versions.Load() - q0
	return res
}

// runWriter runs the test binary as the writer and returns the time it
// began its update.
func runWriter(t *testing.T, storeURL, keysetJSON, marker string) (time.Time, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		envWriter+"=1", envWriterURL+"="+storeURL, envWriterName+"=live", envWriterMark+"="+marker,
		store.EnvKeyset+"="+keysetJSON)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return time.Time{}, fmt.Errorf("writer process: %v: %s", err, stderr.String())
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "committed" {
			ns, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				break
			}
			return time.Unix(0, ns), nil
		}
	}
	return time.Time{}, errors.New("writer process printed no commit time")
}

// countingConnector counts physical connections.
type countingConnector struct {
	sqldriver.Connector
	n *atomic.Int64
}

func (c countingConnector) Connect(ctx context.Context) (sqldriver.Conn, error) {
	c.n.Add(1)
	return c.Connector.Connect(ctx)
}

// Summary formats the latencies as min / median / max.
func (r LiveResult) Summary() string {
	if len(r.Latencies) == 0 {
		return "no rounds"
	}
	l := slices.Clone(r.Latencies)
	slices.Sort(l)
	return fmt.Sprintf("%d rounds: min %v, median %v, max %v; %d physical connections, %d version queries to the backend",
		len(l), l[0].Round(time.Microsecond), l[len(l)/2].Round(time.Microsecond), l[len(l)-1].Round(time.Microsecond), r.Connects, r.VersionQueries)
}
