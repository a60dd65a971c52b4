package hubwire

import (
	"encoding/hex"
	"time"

	"github.com/vapsql/vap/store/backend"
)

// The hub's endpoints. Get and Version take the connection name in the
// query parameter "name" (any UTF-8, URL-escaped); every endpoint needs
// "Authorization: Bearer <hub token>".
const (
	Prefix      = "/hub/v1/"
	PathGet     = Prefix + "get"     // GET ?name=N → Record
	PathVersion = Prefix + "version" // GET ?name=N → Version
	PathList    = Prefix + "list"    // GET → []Record, sorted by name
	PathWatch   = Prefix + "watch"   // GET → text/event-stream of Events
)

// Record is a backend.Record on the wire. Secret fields hold the sealed
// value, as stored.
type Record struct {
	Name      string                         `json:"name"`
	Type      string                         `json:"type"`
	Fields    map[string]backend.SealedField `json:"fields"`
	Version   int64                          `json:"version"`
	CreatedAt time.Time                      `json:"created_at"`
	UpdatedAt time.Time                      `json:"updated_at"`
}

// FromBackend converts a stored record for the wire.
func FromBackend(r *backend.Record) *Record {
	return &Record{Name: r.Name, Type: r.Type, Fields: r.Fields, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// Backend converts a record from the wire.
func (r *Record) Backend() *backend.Record {
	return &backend.Record{Name: r.Name, Type: r.Type, Fields: r.Fields, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// Version is the answer of PathVersion.
type Version struct {
	Version int64 `json:"version"`
}

// Error is the body of every error answer. Code is one of the Code
// constants, for the client to map; Error is for people and holds no
// secret.
type Error struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// Error codes.
const (
	CodeNotFound    = "not_found"   // 404: no such connection
	CodeUnavailable = "unavailable" // 503: the hub cannot reach the store, or has no live watch
	CodeAuth        = "auth"        // 401: missing or wrong token
	CodeBadRequest  = "bad_request" // 400
	CodeInternal    = "internal"    // 500
	CodeNoWatch     = "no_watch"    // 501: the hub's store cannot be watched
)

// The watch stream is server-sent events. The first event is EventLive,
// sent once the hub's own watch on the store is live and the stream is
// subscribed: every commit after it is reported. Then each change is an
// event named EventChange whose data is a Change. A comment line (": ping")
// comes every Live.HeartbeatMS of silence; a client that hears nothing
// for longer than SilenceLimit(heartbeat) must drop the stream. The hub
// ends the stream when its own watch ends.
const (
	EventLive   = "live"
	EventChange = "change"
)

// Live is the data of EventLive.
type Live struct {
	HeartbeatMS int64 `json:"heartbeat_ms"`
}

// Change is the data of EventChange: the hex of the changed name, or no
// name when any record may have changed.
type Change struct {
	Name string `json:"name,omitempty"`
}

// EncodeName returns a name as a Change carries it.
func EncodeName(name string) string { return hex.EncodeToString([]byte(name)) }

// DecodeName reads Change.Name: "" (anything may have changed) when it is
// empty or not hex.
func DecodeName(s string) string {
	b, err := hex.DecodeString(s)
	if err != nil {
		return ""
	}
	return string(b)
}

// SilenceLimit is how long a client waits for any line of the stream
// before it gives the stream up: two heartbeats and two seconds.
func SilenceLimit(heartbeat time.Duration) time.Duration { return 2*heartbeat + 2*time.Second }
