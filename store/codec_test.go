package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vapsql/vap/store"
)

// seedPayload is the platform's create body, as in the seed document.
const seedPayload = `{"name": "my-postgres-connection", "connection_data": {"connection_type": "postgresql", "user_name": "ben", "password": {"value": "secret-password", "encrypt": true}, "host": "localhost", "port": 5432, "dbname": "test"}}`

func TestDecodePayloadSeed(t *testing.T) {
	c, err := store.DecodePayload(strings.NewReader(seedPayload))
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "my-postgres-connection" || c.Type != "postgresql" {
		t.Fatalf("name/type = %q/%q", c.Name, c.Type)
	}
	want := map[string]store.Field{
		"user_name": {Value: "ben"},
		"password":  {Value: "secret-password", Secret: true},
		"host":      {Value: "localhost"},
		"port":      {Value: "5432"},
		"dbname":    {Value: "test"},
	}
	if len(c.Fields) != len(want) {
		t.Fatalf("got %d fields, want %d", len(c.Fields), len(want))
	}
	for k, w := range want {
		if g := c.Fields[k]; g.Value != w.Value || g.Secret != w.Secret {
			t.Errorf("field %s = {%q secret=%v}, want {%q secret=%v}", k, g.String(), g.Secret, w.String(), w.Secret)
		}
	}
}

func TestDecodePayloadForms(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		check   func(t *testing.T, c *store.Connection)
		wantErr string
	}{
		{
			name:    "connection_name key",
			payload: `{"connection_name": "a", "connection_data": {"connection_type": "sqlite", "path": "/tmp/x.db"}}`,
			check: func(t *testing.T, c *store.Connection) {
				if c.Name != "a" {
					t.Errorf("name %q", c.Name)
				}
			},
		},
		{
			name:    "password always secret even with encrypt false",
			payload: `{"name": "a", "connection_data": {"connection_type": "postgresql", "password": {"value": "pw", "encrypt": false}}}`,
			check: func(t *testing.T, c *store.Connection) {
				if !c.Fields["password"].Secret {
					t.Error("password not secret")
				}
			},
		},
		{
			name:    "plain password string is secret",
			payload: `{"name": "a", "connection_data": {"connection_type": "postgresql", "password": "pw"}}`,
			check: func(t *testing.T, c *store.Connection) {
				if f := c.Fields["password"]; !f.Secret || f.Value != "pw" {
					t.Error("plain password not marked secret")
				}
			},
		},
		{
			name:    "any field with encrypt true",
			payload: `{"name": "a", "connection_data": {"connection_type": "postgresql", "user_name": {"value": "ben", "encrypt": true}}}`,
			check: func(t *testing.T, c *store.Connection) {
				if !c.Fields["user_name"].Secret {
					t.Error("user_name not secret")
				}
			},
		},
		{
			name:    "options object",
			payload: `{"name": "a", "connection_data": {"connection_type": "postgresql", "options": {"sslmode": "require", "connect_timeout": 5}}}`,
			check: func(t *testing.T, c *store.Connection) {
				if c.Get("options.sslmode") != "require" || c.Get("options.connect_timeout") != "5" {
					t.Errorf("options: %v", c)
				}
			},
		},
		{name: "not json", payload: `{"name": `, wantErr: "JSON"},
		{name: "array", payload: `[1,2]`, wantErr: "not a JSON object"},
		{name: "trailing data", payload: seedPayload + `{}`, wantErr: "trailing"},
		{name: "unknown top key", payload: `{"name": "a", "connection_data": {"connection_type": "sqlite"}, "x": 1}`, wantErr: `unknown key "x"`},
		{name: "both name keys", payload: `{"name": "prod", "connection_name": "staging", "connection_data": {"connection_type": "sqlite", "path": "/tmp/x.db"}}`, wantErr: `both "name" and "connection_name"`},
		{name: "both name keys, same value", payload: `{"name": "a", "connection_name": "a", "connection_data": {"connection_type": "sqlite", "path": "/tmp/x.db"}}`, wantErr: `both "name" and "connection_name"`},
		{name: "no connection_data", payload: `{"name": "a"}`, wantErr: "connection_data"},
		{name: "no type", payload: `{"name": "a", "connection_data": {"host": "h"}}`, wantErr: "connection_type"},
		{name: "empty name", payload: `{"name": "", "connection_data": {"connection_type": "sqlite"}}`, wantErr: "name is empty"},
		{name: "null field", payload: `{"name": "a", "connection_data": {"connection_type": "sqlite", "path": null}}`, wantErr: "null"},
		{name: "nested object field", payload: `{"name": "a", "connection_data": {"connection_type": "sqlite", "path": {"x": 1}}}`, wantErr: `needs a "value"`},
		{name: "unknown key in secret", payload: `{"name": "a", "connection_data": {"connection_type": "sqlite", "password": {"value": "p", "encrypt": true, "x": 1}}}`, wantErr: `unknown key "x"`},
		{name: "array field", payload: `{"name": "a", "connection_data": {"connection_type": "sqlite", "path": [1]}}`, wantErr: "string, number or boolean"},
		{name: "too large", payload: `{"name": "a", "connection_data": {"connection_type": "sqlite", "path": "` + strings.Repeat("x", store.MaxPayload) + `"}}`, wantErr: "larger than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := store.DecodePayload(strings.NewReader(tc.payload))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				if !errors.Is(err, store.ErrInvalid) {
					t.Errorf("err %v does not match ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}

func TestEncodePayloadRoundTrip(t *testing.T) {
	c, err := store.DecodePayload(strings.NewReader(seedPayload))
	if err != nil {
		t.Fatal(err)
	}
	redacted, err := store.EncodePayload(c, false)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(redacted), "secret-password") || !strings.Contains(string(redacted), store.Redacted) {
		t.Fatalf("redacted payload: %s", redacted)
	}
	full, err := store.EncodePayload(c, true)
	if err != nil {
		t.Fatal(err)
	}
	back, err := store.DecodePayload(strings.NewReader(string(full)))
	if err != nil {
		t.Fatal(err)
	}
	if back.String() != c.String() || back.Get("password") != "secret-password" || !strings.Contains(string(full), `"port":5432`) {
		t.Fatalf("round trip: %s", full)
	}
}

// FuzzDecodePayload checks that no input panics, that every accepted payload
// survives encode → decode unchanged, and that errors never quote a value.
func FuzzDecodePayload(f *testing.F) {
	f.Add(seedPayload)
	f.Add(`{"name": "a", "connection_data": {"connection_type": "postgresql", "options": {"sslmode": "require"}}}`)
	f.Add(`{"name": "ü", "connection_data": {"connection_type": "mysql", "port": 1e3, "x": true}}`)
	f.Add(`{"name": "a", "connection_data": {"connection_type": "sqlite", "password": {"value": 12, "encrypt": true}}}`)
	f.Fuzz(func(t *testing.T, payload string) {
		c, err := store.DecodePayload(strings.NewReader(payload))
		if err != nil {
			if c != nil {
				t.Fatal("connection returned with an error")
			}
			return
		}
		b, err := store.EncodePayload(c, true)
		if err != nil {
			t.Fatal(err)
		}
		back, err := store.DecodePayload(strings.NewReader(string(b)))
		if err != nil {
			t.Fatalf("re-decode of %s: %v", b, err)
		}
		if back.Name != c.Name || back.Type != c.Type || len(back.Fields) != len(c.Fields) {
			t.Fatalf("round trip changed the connection: %v vs %v", back, c)
		}
		for k, f := range c.Fields {
			if g := back.Fields[k]; g.Value != f.Value || g.Secret != f.Secret {
				t.Fatalf("field %s changed in round trip", k)
			}
		}
	})
}
