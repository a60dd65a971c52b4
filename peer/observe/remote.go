package observe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Remote observes and controls a peer through its Handler, from another
// process or from this one. Its method set is that of conformance.Observer.
type Remote struct {
	// URL is the base URL the Handler is served under,
	// http://127.0.0.1:PORT.
	URL string
	// Token is a bearer token the Handler accepts.
	Token string
	// Client sends the requests; nil means one with a 30-second timeout.
	Client *http.Client
}

// Running returns the text of every statement the peer is running now
// (GET RunningPath).
func (r *Remote) Running(ctx context.Context) ([]string, error) {
	var a Running
	if err := Call(ctx, r.Client, r.URL, r.Token, http.MethodGet, RunningPath, &a); err != nil {
		return nil, fmt.Errorf("observe: %w", err)
	}
	return a.Statements, nil
}

// DropSessions ends every session the peer has open and returns how many
// (POST DropPath).
func (r *Remote) DropSessions(ctx context.Context) (int, error) {
	var a Dropped
	if err := Call(ctx, r.Client, r.URL, r.Token, http.MethodPost, DropPath, &a); err != nil {
		return 0, fmt.Errorf("observe: %w", err)
	}
	return a.SessionsEnded, nil
}

var defaultClient = &http.Client{Timeout: 30 * time.Second}

// Call sends one request, method base+path with "Authorization: Bearer
// token" and no body, through c (nil: a client with a 30-second timeout),
// and decodes the JSON answer into out. An answer other than 200 is an error
// carrying the status and the APIError body's code and message. Errors
// name the method and path, never the token; base must be an http(s) URL.
func Call(ctx context.Context, c *http.Client, base, token, method, path string, out any) error {
	base = strings.TrimRight(base, "/")
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return fmt.Errorf("URL %q is not an http(s) URL", base)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, nil)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if c == nil {
		c = defaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is in the message already
		}
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e APIError
		_ = json.Unmarshal(body, &e)
		return fmt.Errorf("%s %s: HTTP %d %s: %s", method, path, resp.StatusCode, e.Code, e.Message)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}
