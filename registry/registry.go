package registry

import (
	"database/sql/driver"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// Registry holds Types by name and alias. It is safe for concurrent use. The
// zero value is empty and ready.
type Registry struct {
	mu     sync.RWMutex
	byName map[string]*Type // canonical names and aliases, lower-case
	types  []*Type
}

// Default is the registry the vap driver and the store use. Family
// subpackages register into it from init.
var Default = &Registry{}

// Register adds t under its name and aliases. Like sql.Register it panics
// when t is nil, has no name or Connector, or a name is already taken.
func (r *Registry) Register(t *Type) {
	if t == nil || t.Name == "" || t.Connector == nil {
		panic("registry: Register of nil type, or type without name or connector")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byName == nil {
		r.byName = map[string]*Type{}
	}
	for _, n := range t.Names() {
		k := strings.ToLower(n)
		if _, dup := r.byName[k]; dup {
			panic("registry: Register called twice for type " + n)
		}
	}
	for _, n := range t.Names() {
		r.byName[strings.ToLower(n)] = t
	}
	r.types = append(r.types, t)
}

// Lookup returns the Type registered under name or alias (case-insensitive),
// or nil.
func (r *Registry) Lookup(name string) *Type {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.byName[strings.ToLower(strings.TrimSpace(name))]
}

// Resolve is Lookup returning an *UnknownTypeError (listing the known types)
// instead of nil.
func (r *Registry) Resolve(name string) (*Type, error) {
	if t := r.Lookup(name); t != nil {
		return t, nil
	}
	return nil, &UnknownTypeError{Type: name, Known: r.Names()}
}

// Names returns the canonical names of the registered types, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.types))
	for _, t := range r.types {
		out = append(out, t.Name)
	}
	slices.Sort(out)
	return out
}

// Types returns the registered types sorted by name.
func (r *Registry) Types() []*Type {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := slices.Clone(r.types)
	slices.SortFunc(out, func(a, b *Type) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// ForDriver returns the type whose Packages hold the Go package of v, a
// real driver's connection or driver (the first by name when several
// match), or nil. It serves readers handed a *sql.DB that vap did not open.
// A connection that hands out the real one through Unwrap() driver.Conn
// (vap's wrapper of a connection whose credential bounds its life) is
// looked through.
func (r *Registry) ForDriver(v any) *Type {
	if u, ok := v.(interface{ Unwrap() driver.Conn }); ok {
		v = u.Unwrap() // vap's wrapper of a connection with a bounded life
	}
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.PkgPath() == "" {
		return nil
	}
	p := t.PkgPath()
	for _, typ := range r.Types() {
		for _, pre := range typ.Packages {
			if p == pre || strings.HasPrefix(p, pre+"/") {
				return typ
			}
		}
	}
	return nil
}

// Register adds t to Default.
func Register(t *Type) { Default.Register(t) }

// Lookup finds name in Default, or returns nil.
func Lookup(name string) *Type { return Default.Lookup(name) }
