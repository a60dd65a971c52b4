package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/keyset"
)

// Store is the connection store: validation, encryption and environment
// overrides over a Backend. It is safe for concurrent use. The backend and
// the keyset are opened on first use, so a connection served from
// VAP_CONN_<NAME> never touches the disk.
type Store struct {
	cfg config

	mu      sync.Mutex
	closed  bool
	backend backend.Backend
	opening *openCall // the backend open in progress, outside mu
	handle  *keyset.Keyset
	sealer  *sealer

	versions versionCache // Version's answers while the backend watches

	keysetSeen os.FileInfo // the keyset file as last loaded for sealing (freshSealer)

	envMu     sync.Mutex
	envChecks map[string]envCheck // by VAP_CONN_<NAME>: the value last decoded and validated, and the outcome
}

// envCheck is what fromEnv found for one value of a VAP_CONN_<NAME>
// variable, so that Version, asked before every new physical connection,
// does not decode and validate an unchanged value again.
type envCheck struct {
	value string
	err   error
}

type config struct {
	url       string
	home      string
	handle    *keyset.Keyset
	backend   backend.Backend
	reg       *registry.Registry
	lookupEnv func(string) (string, bool)
	noEnv     bool
}

// Option configures Open.
type Option func(*config)

// WithURL selects the store by URL (postgres://…) or path instead of
// VAP_STORE.
func WithURL(u string) Option { return func(c *config) { c.url = u } }

// WithHome sets the home directory instead of VAP_HOME.
func WithHome(dir string) Option { return func(c *config) { c.home = dir } }

// WithKeyset uses h instead of VAP_KEYSET, VAP_KEYSET_FILE or the home
// keyset file.
func WithKeyset(h *keyset.Keyset) Option { return func(c *config) { c.handle = h } }

// WithBackend uses b instead of opening one from a URL. Close closes it.
func WithBackend(b backend.Backend) Option { return func(c *config) { c.backend = b } }

// WithRegistry validates against r instead of registry.Default.
func WithRegistry(r *registry.Registry) Option { return func(c *config) { c.reg = r } }

// WithLookupEnv reads the environment through fn (tests use it).
func WithLookupEnv(fn func(string) (string, bool)) Option {
	return func(c *config) { c.lookupEnv = fn }
}

// WithoutEnvOverrides ignores VAP_CONN_<NAME> variables.
func WithoutEnvOverrides() Option { return func(c *config) { c.noEnv = true } }

// Open returns a Store configured by opts and the environment. It does not
// touch the disk or the network: that happens on first use.
func Open(opts ...Option) *Store {
	cfg := config{lookupEnv: os.LookupEnv, reg: registry.Default}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Store{cfg: cfg, backend: cfg.backend}
	s.versions.delay = watchDelay
	return s
}

// access says what a Store method does with the store: reads never create
// a store, a directory or a keyset.
type access int

const (
	read  access = iota // List, Get, Version, Keys: create nothing
	write               // Create, Update, Delete, rotation: may create the store and, for a local store without sealed secrets, the keyset
)

// init opens the backend and the keyset once; a failure is retried on the
// next call. For a read, a missing local store is ErrNoStore (errNoStore),
// and a missing keyset file leaves the sealer nil: nothing that needs it
// can proceed (needSealer), nothing else is hindered.
func (s *Store) init(ctx context.Context, acc access) (backend.Backend, *sealer, error) {
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return nil, nil, ErrClosed
		}
		if s.sealer == nil {
			h, err := s.loadKeyset()
			switch {
			case err == nil:
				sl, err := newSealer(h)
				if err != nil {
					s.mu.Unlock()
					return nil, nil, err
				}
				s.handle, s.sealer = h, sl
			case !errors.Is(err, errKeysetMissing):
				s.mu.Unlock()
				return nil, nil, err
			}
		}
		if s.backend != nil {
			if s.sealer == nil && acc == write {
				if err := s.createKeyset(ctx); err != nil {
					s.mu.Unlock()
					return nil, nil, err
				}
			}
			b, sl := s.backend, s.sealer
			s.mu.Unlock()
			return b, sl, nil
		}
		if op := s.opening; op != nil {
			s.mu.Unlock()
			select {
			case <-op.done:
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			}
			switch {
			case op.err == nil:
			case ctx.Err() == nil && isContextErr(op.err):
				// the opener gave up on its own deadline; try with ours
			case acc == write && errors.Is(op.err, ErrNoStore):
				// a read found no store; a write creates it
			default:
				return nil, nil, op.err
			}
			continue
		}
		op := &openCall{done: make(chan struct{})}
		s.opening = op
		s.mu.Unlock()

		// The backend is opened outside s.mu (it is network I/O on a
		// shared store): one caller opens, under its own context, while
		// the others wait for it or for their own context.
		b, err := s.openBackend(ctx, acc)
		s.mu.Lock()
		s.opening = nil
		switch {
		case err != nil:
			op.err = err
		case s.closed:
			b.Close()
			op.err = ErrClosed
		default:
			s.backend = b
		}
		s.mu.Unlock()
		close(op.done)
		if op.err != nil {
			return nil, nil, op.err
		}
	}
}

// openCall is a backend open in progress.
type openCall struct {
	done chan struct{}
	err  error // set before done is closed
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// openBackend opens the configured backend. A read of a local store file
// that does not exist creates nothing: it fails with ErrNoStore.
func (s *Store) openBackend(ctx context.Context, acc access) (backend.Backend, error) {
	u, def, err := s.storeURL()
	if err != nil {
		return nil, err
	}
	if p, ok := localPath(u); ok && p != ":memory:" && linked(u) {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			if acc == read {
				return nil, &noStoreError{path: p, def: def}
			}
			if def {
				if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
					return nil, fmt.Errorf("store: create home directory: %w", err)
				}
			}
		}
	}
	return backend.Open(ctx, u)
}

// linked reports whether a backend for u's scheme is registered; if not,
// backend.Open's error (naming the package to import) comes first.
func linked(u string) bool {
	pu, err := backend.ParseURL(u)
	return err == nil && backend.Default.Lookup(pu.Scheme) != nil
}

// localPath returns the file a local store URL names.
func localPath(u string) (string, bool) {
	pu, err := backend.ParseURL(u)
	if err != nil || (pu.Scheme != "sqlite" && pu.Scheme != "file") {
		return "", false
	}
	if pu.Opaque != "" {
		return pu.Opaque, true
	}
	return pu.Path, pu.Path != ""
}

// noStoreError is a read of a local store file that does not exist. At the
// default location it only means nothing was stored yet: reads see an empty
// store. Named explicitly (VAP_STORE, --store, WithURL), it is most likely
// a typo, and an error.
type noStoreError struct {
	path string
	def  bool
}

func (e *noStoreError) Error() string {
	return fmt.Sprintf("store: no store at %s: check %s (or --store); reads never create a store", e.path, EnvStore)
}

func (e *noStoreError) Is(target error) bool { return target == ErrNoStore }

// emptyDefault reports whether err is the default store's absence, which
// reads treat as an empty store.
func emptyDefault(err error) bool {
	var ns *noStoreError
	return errors.As(err, &ns) && ns.def
}

func (s *Store) home() (string, error) {
	if s.cfg.home != "" {
		return s.cfg.home, nil
	}
	return Home(s.cfg.lookupEnv)
}

// storeURL returns the configured store URL, and whether it is the default
// $VAP_HOME/store.db. It creates nothing.
func (s *Store) storeURL() (string, bool, error) {
	if s.cfg.url != "" {
		return s.cfg.url, false, nil
	}
	if u, ok := s.cfg.lookupEnv(EnvStore); ok && u != "" {
		return u, false, nil
	}
	h, err := s.home()
	if err != nil {
		return "", true, err
	}
	return filepath.Join(h, StoreFileName), true, nil
}

// errKeysetMissing is loadKeyset's answer when the home keyset file does
// not exist (and nothing else names a keyset).
var errKeysetMissing = errors.New("keyset file missing")

// loadKeyset returns the configured keyset: WithKeyset, VAP_KEYSET,
// VAP_KEYSET_FILE, else $VAP_HOME/keyset.json. A missing home keyset file
// is errKeysetMissing for a local store (createKeyset decides), and
// errNoSharedKeyset for any other.
func (s *Store) loadKeyset() (*keyset.Keyset, error) {
	if s.cfg.handle != nil {
		return s.cfg.handle, checkKeyTypes(s.cfg.handle)
	}
	if k, ok := s.cfg.lookupEnv(EnvKeyset); ok && k != "" {
		h, err := keyset.Parse([]byte(k))
		if err != nil {
			return nil, fmt.Errorf("%w (from %s)", err, EnvKeyset)
		}
		return h, checkKeyTypes(h)
	}
	if f, ok := s.cfg.lookupEnv(EnvKeysetFile); ok && f != "" {
		return loadChecked(f)
	}
	h, err := s.home()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(h, KeysetFileName)
	hd, err := loadChecked(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return hd, err
	}
	if !s.localStore() {
		return nil, errNoSharedKeyset
	}
	return nil, errKeysetMissing
}

// loadChecked loads a keyset file and checks its key types.
func loadChecked(path string) (*keyset.Keyset, error) {
	h, err := keyset.Load(path)
	if err != nil {
		return nil, err
	}
	return h, checkKeyTypes(h)
}

// createKeyset creates $VAP_HOME/keyset.json for a local store, unless the
// store already holds sealed secrets: a fresh key would open none of them,
// and would seal new ones with a key nobody else has. Called with s.mu held
// and s.backend open.
func (s *Store) createKeyset(ctx context.Context) error {
	h, err := s.home()
	if err != nil {
		return err
	}
	path := filepath.Join(h, KeysetFileName)
	if n, err := sealedCount(ctx, s.backend); err != nil {
		return err
	} else if n > 0 {
		return missingKeysetError(path, n)
	}
	hd, err := keyset.LoadOrCreate(path)
	if err != nil {
		return err
	}
	sl, err := newSealer(hd)
	if err != nil {
		return err
	}
	s.handle, s.sealer = hd, sl
	return nil
}

// missingKeysetError is the refusal to go on without the keyset that
// sealed n stored secrets.
func missingKeysetError(path string, n int) error {
	return fmt.Errorf("%w: the keyset file %s does not exist, but the store holds %d sealed secret(s): restore that file (or give it with %s or %s); vap will not create a new key that opens none of them", ErrKeyset, path, n, EnvKeysetFile, EnvKeyset)
}

// sealedCount counts the stored secret fields.
func sealedCount(ctx context.Context, b backend.Backend) (int, error) {
	rs, err := b.List(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rs {
		for _, f := range r.Fields {
			if f.Secret {
				n++
			}
		}
	}
	return n, nil
}

// needSealer returns sl, or the error for a read that needs the keyset
// when the keyset file is missing.
func (s *Store) needSealer(ctx context.Context, sl *sealer, b backend.Backend) (*sealer, error) {
	if sl != nil {
		return sl, nil
	}
	h, err := s.home()
	if err != nil {
		return nil, err
	}
	n, err := sealedCount(ctx, b)
	if err != nil {
		return nil, err
	}
	return nil, missingKeysetError(filepath.Join(h, KeysetFileName), n)
}

// errNoSharedKeyset refuses to mint a keyset for a shared store: secrets
// sealed with it would be unreadable to everyone else.
var errNoSharedKeyset = fmt.Errorf("%w: no keyset is configured and the store is not a local file (VAP_STORE names a shared store), so vap will not create a key nobody else has; give the store's keyset with %s (a keyset file) or %s (its JSON), or put it at $VAP_HOME/%s",
	ErrKeyset, EnvKeysetFile, EnvKeyset, KeysetFileName)

// localStore reports whether the store is a local file (the embedded SQLite
// store), the only kind for which a missing keyset is created.
func (s *Store) localStore() bool {
	if s.cfg.backend != nil {
		l, ok := s.cfg.backend.(backend.Local)
		return ok && l.Local()
	}
	u, _, err := s.storeURL()
	return err == nil && backend.IsLocalURL(u)
}

// fromEnv returns the VAP_CONN_<NAME> override, if any.
func (s *Store) fromEnv(name string) (*Connection, bool, error) {
	if s.cfg.noEnv {
		return nil, false, nil
	}
	v, ok := s.cfg.lookupEnv(EnvName(name))
	if !ok {
		return nil, false, nil
	}
	c, err := decodeEnv(name, v, s.cfg.reg)
	s.envMu.Lock()
	if s.envChecks == nil {
		s.envChecks = map[string]envCheck{}
	}
	s.envChecks[EnvName(name)] = envCheck{value: v, err: err}
	s.envMu.Unlock()
	return c, true, err
}

// envOverride reports whether VAP_CONN_<NAME> is set and, if so, what
// decoding and validating it gives, without doing either again for the
// value fromEnv last checked.
func (s *Store) envOverride(name string) (bool, error) {
	if s.cfg.noEnv {
		return false, nil
	}
	v, ok := s.cfg.lookupEnv(EnvName(name))
	if !ok {
		return false, nil
	}
	s.envMu.Lock()
	seen, hit := s.envChecks[EnvName(name)]
	s.envMu.Unlock()
	if hit && seen.value == v {
		return true, seen.err
	}
	_, ok, err := s.fromEnv(name)
	return ok, err
}

func decodeEnv(name, v string, reg *registry.Registry) (*Connection, error) {
	c, err := DecodeConnectionData(name, strings.NewReader(v))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvName(name), err)
	}
	if err := Validate(c, reg); err != nil {
		return nil, fmt.Errorf("%s: %w", EnvName(name), err)
	}
	if err := refuseMask(c); err != nil {
		return nil, fmt.Errorf("%s: %w", EnvName(name), err)
	}
	return c, nil
}

// Resolve returns connection name with its secrets decrypted: from
// VAP_CONN_<NAME> when set, else from the store.
//
// A store that cannot be reached or turns the connection away (down, too
// many clients, starting up) is asked again, with growing jittered pauses,
// until ctx's deadline (ResolveRetry when ctx has none); then Resolve fails
// with an error matching ErrUnavailable that says how long it tried.
func (s *Store) Resolve(ctx context.Context, name string) (*Connection, error) {
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	if c, ok, err := s.fromEnv(name); ok {
		return c, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, ResolveRetry)
		defer cancel()
	}
	start := time.Now()
	pause := 50 * time.Millisecond
	for tries := 1; ; tries++ {
		c, err := s.Get(ctx, name)
		if err == nil || !errors.Is(err, ErrUnavailable) {
			return c, err
		}
		d := pause/2 + rand.N(pause/2+1)
		dl, _ := ctx.Deadline()
		if time.Until(dl) < d {
			return nil, fmt.Errorf("connection %q: %w (tried %d times in %s)", name, err, tries, time.Since(start).Round(time.Millisecond))
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("connection %q: %w (tried %d times in %s)", name, err, tries, time.Since(start).Round(time.Millisecond))
		case <-t.C:
		}
		pause = min(pause*2, time.Second)
	}
}

// ResolveRetry bounds how long Resolve retries an unavailable store for a
// caller whose context has no deadline.
var ResolveRetry = 15 * time.Second

// Version returns the version a new Resolve would see: 0 for an environment
// override, else the stored version. It is cheap: no decryption, and when the
// backend is a Watcher no round trip either (the answer is cached until the
// backend reports a change, and for 30 seconds at most).
func (s *Store) Version(ctx context.Context, name string) (int64, error) {
	if err := s.checkOpen(); err != nil {
		return 0, err
	}
	if ok, err := s.envOverride(name); ok {
		return 0, err
	}
	b, _, err := s.init(ctx, read)
	if emptyDefault(err) {
		return 0, &NotFoundError{Name: name}
	}
	if err != nil {
		return 0, err
	}
	v, err := s.versions.version(ctx, b, name)
	return v, notFound(name, err)
}

// Get returns the stored connection name with its secrets decrypted, ignoring
// environment overrides.
func (s *Store) Get(ctx context.Context, name string) (*Connection, error) {
	b, sl, err := s.init(ctx, read)
	if emptyDefault(err) {
		return nil, &NotFoundError{Name: name}
	}
	if err != nil {
		return nil, err
	}
	r, err := b.Get(ctx, name)
	if err != nil {
		return nil, notFound(name, err)
	}
	if hasSecret(r) {
		if sl, err = s.needSealer(ctx, sl, b); err != nil {
			return nil, err
		}
	}
	c, err := s.unseal(sl, r, true)
	if errors.Is(err, ErrDecrypt) {
		// Another process may have rotated the keyset file (keys.go).
		if sl, ok := s.reloadKeyset(); ok {
			c, err = s.unseal(sl, r, true)
		}
	}
	if err != nil {
		return nil, err
	}
	if err := s.checkStored(r, c); err != nil {
		return nil, err
	}
	return c, nil
}

// List returns the stored connections sorted by name. Secret fields are
// listed with an empty Value: List decrypts nothing.
func (s *Store) List(ctx context.Context) ([]*Connection, error) {
	b, sl, err := s.init(ctx, read)
	if emptyDefault(err) {
		return []*Connection{}, nil
	}
	if err != nil {
		return nil, err
	}
	rs, err := b.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*Connection, 0, len(rs))
	for _, r := range rs {
		c, err := s.unseal(sl, r, false)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Create validates c, encrypts its secrets and stores it: a new name at
// version 1, a deleted name one above its last version (versions of a name
// never repeat, so open connectors notice a delete and re-create). It fails
// with ErrExists when the name is taken. On success c.Version is the stored
// version.
func (s *Store) Create(ctx context.Context, c *Connection) error {
	b, r, err := s.prepareWrite(ctx, c, false)
	if err != nil {
		return err
	}
	if err := checkEnvCollision(ctx, b, r.Name); err != nil {
		return err
	}
	defer s.versions.invalidate(c.Name)
	if err := b.Insert(ctx, r); err != nil {
		if errors.Is(err, ErrExists) {
			return fmt.Errorf("connection %q: %w", c.Name, ErrExists)
		}
		return err
	}
	c.Version = r.Version
	return nil
}

// Update validates c and replaces the stored connection, provided its
// version is still c.Version (the version c was read at). Otherwise it fails
// with ErrConflict and changes nothing: no update is lost silently. A secret
// field sent as Redacted keeps the stored secret (see Replace for an update
// whatever the stored version). On success c.Version is incremented.
func (s *Store) Update(ctx context.Context, c *Connection) error {
	b, r, err := s.prepareWrite(ctx, c, true)
	if err != nil {
		return err
	}
	defer s.versions.invalidate(c.Name)
	if err := b.Update(ctx, r); err != nil {
		if errors.Is(err, ErrConflict) {
			return fmt.Errorf("connection %q (version %d): %w", c.Name, c.Version, ErrConflict)
		}
		return notFound(c.Name, err)
	}
	c.Version++
	return nil
}

// prepareWrite validates a copy of c and seals it into a record for the
// backend. For an update, masked secrets take the stored values (mask.go);
// otherwise they are refused. Nothing is written.
func (s *Store) prepareWrite(ctx context.Context, c *Connection, update bool) (backend.Backend, *backend.Record, error) {
	if err := s.checkOpen(); err != nil {
		return nil, nil, err
	}
	cc := c.Clone()
	if err := Validate(cc, s.cfg.reg); err != nil {
		return nil, nil, err
	}
	if !update {
		if err := refuseMask(cc); err != nil {
			return nil, nil, err
		}
	}
	b, sl, err := s.init(ctx, write)
	if err != nil {
		return nil, nil, err
	}
	if update && len(maskedFields(cc)) > 0 {
		old, err := b.Get(ctx, cc.Name)
		if err != nil {
			return nil, nil, notFound(cc.Name, err)
		}
		if old.Version != cc.Version {
			return nil, nil, fmt.Errorf("connection %q (version %d): %w", cc.Name, cc.Version, ErrConflict)
		}
		if err := s.keepMasked(sl, old, cc); err != nil {
			return nil, nil, err
		}
	}
	if sl, err = s.freshSealer(sl); err != nil {
		return nil, nil, err
	}
	r, err := s.sealRecord(sl, cc)
	if err != nil {
		return nil, nil, err
	}
	return b, r, nil
}

// Delete removes connection name, or fails with the missing-name error.
func (s *Store) Delete(ctx context.Context, name string) error {
	b, _, err := s.init(ctx, read) // deleting needs no keyset, and creates nothing
	if emptyDefault(err) {
		return &NotFoundError{Name: name}
	}
	if err != nil {
		return err
	}
	defer s.versions.invalidate(name)
	return notFound(name, b.Delete(ctx, name))
}

// Registry returns the registry the store validates against.
func (s *Store) Registry() *registry.Registry { return s.cfg.reg }

// Close stops watching and closes the backend. Every later call fails with
// ErrClosed (a second Close returns nil): a closed Store never opens another
// backend.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.versions.stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.backend == nil {
		return nil
	}
	err := s.backend.Close()
	s.backend = nil
	return err
}

// checkOpen returns ErrClosed after Close.
func (s *Store) checkOpen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	return nil
}

func (s *Store) sealRecord(sl *sealer, c *Connection) (*backend.Record, error) {
	r := &backend.Record{Name: c.Name, Type: c.Type, Version: c.Version, Fields: make(map[string]backend.SealedField, len(c.Fields))}
	bind := connBinding(c)
	for k, f := range c.Fields {
		if !f.Secret && !f.Ref {
			r.Fields[k] = backend.SealedField{Value: f.Value}
			continue
		}
		ct, err := sl.seal(bind, k, f.Value, f.Ref)
		if err != nil {
			return nil, err
		}
		r.Fields[k] = backend.SealedField{Value: ct, Secret: true, Ref: f.Ref}
	}
	return r, nil
}

func (s *Store) unseal(sl *sealer, r *backend.Record, decrypt bool) (*Connection, error) {
	c := &Connection{Name: r.Name, Type: r.Type, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Fields: make(map[string]Field, len(r.Fields))}
	bind := recordBinding(r)
	for k, f := range r.Fields {
		if !f.Secret {
			c.Fields[k] = Field{Value: f.Value}
			continue
		}
		if !decrypt {
			c.Fields[k] = Field{Secret: !f.Ref, Ref: f.Ref}
			continue
		}
		pt, err := sl.open(bind, k, f.Value, f.Ref)
		if err != nil {
			return nil, err
		}
		c.Fields[k] = Field{Value: pt, Secret: !f.Ref, Ref: f.Ref}
	}
	return c, nil
}

// hasSecret reports whether r holds a sealed field.
func hasSecret(r *backend.Record) bool {
	for _, f := range r.Fields {
		if f.Secret {
			return true
		}
	}
	return false
}

// notFound turns a backend's ErrNotFound into the platform's message.
func notFound(name string, err error) error {
	if err != nil && errors.Is(err, ErrNotFound) {
		var nf *NotFoundError
		if errors.As(err, &nf) {
			return err
		}
		return &NotFoundError{Name: name}
	}
	return err
}
