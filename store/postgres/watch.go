package postgres

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vapsql/vap/store/backend"
)

// The listening session is checked with a round trip after every
// watchHeartbeat without a notification; when the check does not answer
// within watchPingTimeout the watch ends, so a session that died silently
// (a half-open TCP connection, a NAT that dropped it) cannot leave the
// store's version cache stale. Tests lower them.
var (
	watchHeartbeat   = 10 * time.Second
	watchPingTimeout = 5 * time.Second
)

// How the store learns of other processes' changes: the watch URL
// parameter (postgres://…?watch=poll).
const (
	// WatchListen (the default) listens on one dedicated session
	// (LISTEN/NOTIFY): changes are seen right after their commit.
	WatchListen = "listen"
	// WatchPoll asks the store for a fingerprint of every name's version
	// every poll_interval/2 to poll_interval (URL parameter, default
	// PollInterval; random jitter, so that many processes do not ask in
	// step), through the ordinary pool: no session state, so it works
	// behind PgBouncer in transaction pooling mode. A change is seen within
	// poll_interval and one round trip.
	WatchPoll = "poll"
	// WatchNone does not watch: every version check is a round trip.
	WatchNone = "none"
)

// PollInterval is the default poll_interval: it bounds how late a
// WatchPoll store sees a change.
var PollInterval = time.Second

// WatchApplicationName is the application_name of the session Watch
// listens on, as pg_stat_activity shows it (PostgreSQL keeps 63 bytes).
func WatchApplicationName(schema string) string {
	n := "vap store watch " + schema
	if len(n) > 63 {
		n = n[:63]
	}
	return n
}

// Watch implements backend.Watcher with LISTEN on a dedicated connection: the
// table's trigger NOTIFYs on every committed change, and PostgreSQL delivers
// the notification to every listener right after the commit. The session is
// pinged after watchHeartbeat of silence. The channel closes when ctx is
// done, the connection fails or a ping gets no answer in watchPingTimeout.
func (b *Backend) Watch(ctx context.Context) (<-chan string, error) {
	switch b.watch {
	case WatchNone:
		return nil, backend.ErrWatchUnsupported
	case WatchPoll:
		return b.poll(ctx)
	}
	conn, err := pgx.ConnectConfig(ctx, b.listen)
	if err != nil {
		return nil, b.fail("watch", err)
	}
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{NotifyChannel}.Sanitize()); err != nil {
		conn.Close(context.Background())
		return nil, b.fail("watch", err)
	}
	ch := make(chan string, 64)
	b.known.start()
	go func() {
		defer close(ch)
		defer b.known.stop()
		defer conn.Close(context.Background())
		for {
			wctx, cancel := context.WithTimeout(ctx, watchHeartbeat)
			n, err := conn.WaitForNotification(wctx)
			cancel()
			if err != nil && ctx.Err() == nil && wctx.Err() != nil {
				// Silence: prove the session still answers.
				pctx, cancel := context.WithTimeout(ctx, watchPingTimeout)
				err := conn.Ping(pctx)
				cancel()
				if err != nil {
					return
				}
				continue
			}
			if err != nil {
				return
			}
			name, ok := b.decode(n.Payload)
			if !ok {
				continue
			}
			// Read the new version on this session before reporting the
			// change: every process asks for it right after the report,
			// and a pool that holds no idle connection would have to open
			// one, for every long-lived process at once.
			if name == "" {
				b.known.forget()
			} else {
				vctx, cancel := context.WithTimeout(ctx, watchPingTimeout)
				var v int64
				err := conn.QueryRow(vctx, `SELECT version FROM `+b.table+` WHERE name = $1`, []byte(name)).Scan(&v)
				cancel()
				switch {
				case err == nil:
					b.known.set(name, v)
				case errors.Is(err, pgx.ErrNoRows):
					b.known.drop(name)
				default:
					return
				}
			}
			select {
			case ch <- name:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}

// decode reads a notification payload. It reports false for another
// schema's change, and "" (anything may have changed) when the payload names
// no record or cannot be read.
func (b *Backend) decode(payload string) (string, bool) {
	var p struct {
		Schema string  `json:"schema"`
		Name   *string `json:"name"`
	}
	if err := json.Unmarshal([]byte(payload), &p); err != nil {
		return "", true
	}
	if p.Schema != b.schema {
		return "", false
	}
	if p.Name == nil {
		return "", true
	}
	name, err := hex.DecodeString(*p.Name)
	if err != nil || len(name) == 0 {
		return "", true
	}
	return string(name), true
}

// fingerprint is one round trip that changes whenever any record is
// inserted, updated or deleted (a name's versions never repeat).
func (b *Backend) fingerprint(ctx context.Context) (string, error) {
	var fp *string
	err := b.pool.QueryRow(ctx, `SELECT md5(string_agg(encode(name, 'hex') || ':' || version, ',' ORDER BY name)) FROM `+b.table).Scan(&fp)
	if err != nil {
		return "", b.fail("poll", err)
	}
	if fp == nil {
		return "", nil
	}
	return *fp, nil
}

// poll implements WatchPoll: it reports "" (anything may have changed)
// whenever the fingerprint moves. It ends on the first failed round trip (the
// Store then asks the backend directly and watches again later).
func (b *Backend) poll(ctx context.Context) (<-chan string, error) {
	last, err := b.fingerprint(ctx)
	if err != nil {
		return nil, err
	}
	ch := make(chan string, 1)
	go func() {
		defer close(ch)
		for {
			wait := b.every/2 + rand.N(b.every/2+1)
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			fp, err := b.fingerprint(ctx)
			if err != nil {
				return
			}
			if fp == last {
				continue
			}
			last = fp
			select {
			case ch <- "":
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}

// knownMaxAge bounds how long a version the watch read is served: it only
// has to carry the burst of checks right after a change.
var knownMaxAge = 10 * time.Second

// knownVersions holds the versions LISTEN watches read on their own
// session right after a notification, for Version to answer without a
// pool connection. An entry is replaced before each later report of its
// name, so it is never older than what the watch reported; everything is
// forgotten on a report of "" and when a watch ends.
type knownVersions struct {
	mu    sync.Mutex
	live  int // watches running
	known map[string]knownVersion
}

type knownVersion struct {
	v  int64
	at time.Time
}

func (k *knownVersions) start() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.live++
}

func (k *knownVersions) stop() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.live--
	clear(k.known)
}

func (k *knownVersions) set(name string, v int64) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.known == nil {
		k.known = map[string]knownVersion{}
	}
	k.known[name] = knownVersion{v: v, at: time.Now()}
}

func (k *knownVersions) drop(name string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.known, name)
}

func (k *knownVersions) forget() {
	k.mu.Lock()
	defer k.mu.Unlock()
	clear(k.known)
}

func (k *knownVersions) get(name string) (int64, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.known[name]
	if !ok || k.live == 0 || time.Since(e.at) >= knownMaxAge {
		return 0, false
	}
	return e.v, true
}
