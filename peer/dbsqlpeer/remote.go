package dbsqlpeer

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/vapsql/vap/peer/observe"
)

// Remote observes and controls a peer through the workspace REST calls it
// serves (Query History, warehouse stop), from another process (a peer
// started by cmd/dbsqlpeer) or from this one, with observe.Call. Its method
// set is that of conformance.Observer (as observe.Remote's is), so a Remote
// lets the conformance suite watch the peer's statements and end its
// sessions.
type Remote struct {
	// URL is the peer's base URL, http://127.0.0.1:PORT (Peer.URL, or the
	// "url" that Serve announces).
	URL string
	// Token is a bearer token the peer accepts.
	Token string
	// Client sends the requests; nil means one with a 30-second timeout.
	Client *http.Client
}

// Running returns the text of every statement the peer is running now
// (GET /api/2.0/sql/history/queries?filter_by.statuses=RUNNING).
func (r *Remote) Running(ctx context.Context) ([]string, error) {
	var h queryHistory
	q := url.Values{"filter_by.statuses": {"RUNNING"}}
	if err := r.call(ctx, http.MethodGet, queryHistoryPath+"?"+q.Encode(), &h); err != nil {
		return nil, err
	}
	out := make([]string, len(h.Res))
	for i, q := range h.Res {
		out[i] = q.QueryText
	}
	return out, nil
}

// DropSessions ends every session the peer has open and returns how many
// (POST /api/2.0/sql/warehouses/ID/stop; see Peer.DropSessions).
func (r *Remote) DropSessions(ctx context.Context) (int, error) {
	var a stopAnswer
	if err := r.call(ctx, http.MethodPost, "/api/2.0/sql/warehouses/dbsqlpeer/stop", &a); err != nil {
		return 0, err
	}
	return a.SessionsEnded, nil
}

// call sends one request and decodes the JSON answer into out
// (observe.Call). Errors name the path and the peer's error code, never the
// token.
func (r *Remote) call(ctx context.Context, method, path string, out any) error {
	if err := observe.Call(ctx, r.Client, r.URL, r.Token, method, path, out); err != nil {
		return fmt.Errorf("dbsqlpeer: %w", err)
	}
	return nil
}
