package main

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"

	"github.com/vapsql/vap/store"
)

// entry is a connection as vap would resolve it, and where it comes from.
type entry struct {
	Name    string
	Type    string
	Version int64  // the stored version; 0 when not stored
	EnvVar  string // the VAP_CONN_* variable overriding or defining it, if any
	Stored  bool
	conn    *store.Connection // stored (secrets not decrypted) or from the variable
	envErr  error             // the variable does not parse
}

// Source says where the connection comes from.
func (e entry) Source() string {
	switch {
	case e.EnvVar != "" && e.Stored:
		return "env " + e.EnvVar + " (overrides the store)"
	case e.EnvVar != "":
		return "env " + e.EnvVar
	}
	return "store"
}

// envOverrides returns the VAP_CONN_* variables set in the environment, by
// variable name.
func envOverrides() map[string]string {
	out := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, store.EnvConnPrefix) && len(k) > len(store.EnvConnPrefix) {
			out[k] = v
		}
	}
	return out
}

// entries lists the stored connections and the environment's overrides: a
// variable matching a stored name marks it overridden; any other variable
// is listed under the lower-cased name after VAP_CONN_, a name that
// resolves to it.
func (a *app) entries(ctx context.Context) ([]entry, error) {
	conns, err := a.store().List(ctx)
	if err != nil {
		return nil, err
	}
	env := envOverrides()
	var out []entry
	for _, c := range conns {
		e := entry{Name: c.Name, Type: c.Type, Version: c.Version, Stored: true, conn: c}
		if v, ok := env[store.EnvName(c.Name)]; ok {
			e.EnvVar = store.EnvName(c.Name)
			e.conn, e.envErr = store.DecodeConnectionData(c.Name, strings.NewReader(v))
			if e.envErr == nil {
				e.Type = e.conn.Type
			}
			delete(env, e.EnvVar)
		}
		out = append(out, e)
	}
	for k, v := range env {
		name := strings.ToLower(strings.TrimPrefix(k, store.EnvConnPrefix))
		e := entry{Name: name, EnvVar: k}
		e.conn, e.envErr = store.DecodeConnectionData(name, strings.NewReader(v))
		if e.envErr == nil {
			e.Type = e.conn.Type
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(x, y entry) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
}

// resolve returns connection name as the driver would open it (an
// environment override first), secrets decrypted, with its entry.
func (a *app) resolve(ctx context.Context, name string) (*store.Connection, entry, error) {
	e := entry{Name: name}
	st := a.store()
	if _, ok := os.LookupEnv(store.EnvName(name)); ok {
		e.EnvVar = store.EnvName(name)
		stored, err := st.Get(ctx, name)
		switch {
		case err == nil:
			e.Stored, e.Version = true, stored.Version
			a.secrets = append(a.secrets, stored.SecretValues()...)
		case !errors.Is(err, store.ErrNotFound):
			// The override is what resolves; a store that cannot say is noted, not fatal.
		}
	}
	c, err := st.Resolve(ctx, name)
	if err != nil {
		return nil, e, err
	}
	a.secrets = append(a.secrets, c.SecretValues()...)
	e.Type = c.Type
	if e.EnvVar == "" {
		e.Stored, e.Version = true, c.Version
	}
	e.conn = c
	return c, e, nil
}
