package postgres

import (
	"encoding/hex"
	"encoding/json"
	"testing"
)

// FuzzWatchPayload: any NOTIFY payload decodes without panic; this
// schema's payload naming a record yields exactly that name, another
// schema's is ignored.
func FuzzWatchPayload(f *testing.F) {
	b := &Backend{schema: "vap"}
	f.Add(`{"schema":"vap","name":"6162"}`, "ab")
	f.Add(`{"schema":"other","name":"00"}`, "x")
	f.Add(`{"schema":"vap","name":null}`, "")
	f.Add(`{"schema":"vap","name":"zz"}`, "\x00")
	f.Fuzz(func(t *testing.T, payload, name string) {
		b.decode(payload)
		if name == "" {
			return
		}
		js, _ := json.Marshal(map[string]string{"schema": "vap", "name": hex.EncodeToString([]byte(name))})
		if got, ok := b.decode(string(js)); !ok || got != name {
			t.Fatalf("payload %s decoded as %q, %v; want %q", js, got, ok, name)
		}
		js, _ = json.Marshal(map[string]string{"schema": "vap2", "name": hex.EncodeToString([]byte(name))})
		if _, ok := b.decode(string(js)); ok {
			t.Fatalf("another schema's payload %s was taken", js)
		}
	})
}
