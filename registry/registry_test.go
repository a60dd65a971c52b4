package registry_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vapsql/vap/registry"
)

func fakeType(name string, aliases ...string) *registry.Type {
	return &registry.Type{
		Name:      name,
		Aliases:   aliases,
		Required:  []string{"host"},
		Optional:  []string{"port", "password"},
		Secrets:   []string{"password"},
		Options:   []string{"mode"},
		Bind:      registry.Dollar,
		Connector: func(context.Context, registry.Params) (driver.Connector, error) { return nil, errors.New("fake") },
	}
}

func TestRegistry(t *testing.T) {
	var r registry.Registry
	r.Register(fakeType("zeta", "z"))
	r.Register(fakeType("alpha"))
	if got := r.Lookup("Z"); got == nil || got.Name != "zeta" {
		t.Fatalf("alias lookup: %v", got)
	}
	if r.Lookup("nope") != nil {
		t.Fatal("unknown found")
	}
	if got := fmt.Sprint(r.Names()); got != "[alpha zeta]" {
		t.Fatalf("names %s", got)
	}
	_, err := r.Resolve("cobol")
	var ute *registry.UnknownTypeError
	if !errors.As(err, &ute) || !errors.Is(err, registry.ErrUnknownType) || err.Error() != `unknown connection type "cobol"; known types: alpha, zeta` {
		t.Fatalf("resolve: %v", err)
	}
	for _, tc := range []struct {
		name string
		t    *registry.Type
	}{
		{"nil", nil},
		{"no name", &registry.Type{Connector: fakeType("x").Connector}},
		{"no connector", &registry.Type{Name: "x"}},
		{"duplicate name", fakeType("alpha")},
		{"duplicate alias", fakeType("new", "z")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			r.Register(tc.t)
		})
	}
	if len(r.Types()) != 2 {
		t.Fatal("a failed Register changed the registry")
	}
}

func TestValidate(t *testing.T) {
	typ := fakeType("fake")
	tests := []struct {
		name    string
		fields  map[string]string
		wantErr string
	}{
		{"ok", map[string]string{"host": "h", "port": "65535", "options.mode": "x"}, ""},
		{"missing required", map[string]string{"port": "1"}, `field "host" is required`},
		{"blank required", map[string]string{"host": "  "}, `field "host" is required`},
		{"port low", map[string]string{"host": "h", "port": "0"}, "1 to 65535"},
		{"port negative", map[string]string{"host": "h", "port": "-5"}, "1 to 65535"},
		{"port high", map[string]string{"host": "h", "port": "70000"}, "1 to 65535"},
		{"unknown field", map[string]string{"host": "h", "colour": "red"}, `"colour" is not a field of this type (fields: host, password, port)`},
		{"unknown option", map[string]string{"host": "h", "options.x": "1"}, `"options.x" is not an option this type accepts (accepted: mode)`},
		{"invalid utf-8 value", map[string]string{"host": "h\xff"}, "not valid UTF-8"},
		{"host with scheme", map[string]string{"host": "https://h"}, "host name or IP address"},
		{"host with user", map[string]string{"host": "u@h"}, "host name or IP address"},
		{"host with space", map[string]string{"host": "h x"}, "host name or IP address"},
		{"bracketed IPv6 host", map[string]string{"host": "[::1]"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := typ.Validate(registry.NewParams("c", "fake", tc.fields))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, registry.ErrInvalidField) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestParamsNeverPrintValues(t *testing.T) {
	p := registry.NewParams("c", "fake", map[string]string{"host": "h", "password": "params-canary"})
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%t", "%x", "%q"} {
		if s := fmt.Sprintf(verb, p); strings.Contains(s, "params-canary") || strings.Contains(s, fmt.Sprintf("%x", "params-canary")) {
			t.Errorf("%s leaks: %s", verb, s)
		}
	}
	if p.Get("password") != "params-canary" || p.Port(42) != 42 {
		t.Fatal("accessors")
	}
}

func TestPlaceholders(t *testing.T) {
	for _, tc := range []struct {
		s    registry.PlaceholderStyle
		want string
	}{{registry.Question, "?"}, {registry.Dollar, "$3"}, {registry.AtP, "@p3"}, {registry.Colon, ":3"}} {
		if got := tc.s.Placeholder(3); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.s, got, tc.want)
		}
	}
}

// conn stands for a real driver's connection; its package is this test's.
type conn struct{}

func TestForDriver(t *testing.T) {
	var r registry.Registry
	mine := fakeType("mine")
	mine.Packages = []string{"github.com/vapsql/vap/registry_test"}
	other := fakeType("other")
	other.Packages = []string{"github.com/vapsql/vap/reg"} // a prefix of the path, not of a package
	r.Register(other)
	r.Register(mine)
	if got := r.ForDriver(&conn{}); got != mine {
		t.Errorf("ForDriver(*conn) = %v, want the type declaring this package", got)
	}
	if got := r.ForDriver(conn{}); got != mine {
		t.Errorf("ForDriver(conn) = %v", got)
	}
	for _, v := range []any{nil, 3, errors.New("x")} {
		if got := r.ForDriver(v); got != nil {
			t.Errorf("ForDriver(%T) = %s, want nil", v, got.Name)
		}
	}
}
