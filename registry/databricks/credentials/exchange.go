package credentials

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

	"golang.org/x/oauth2"
)

// ExchangeInterval is how long a token obtained by the Posit Connect
// exchange is used before it is exchanged again, when the answer states no
// expiry (Connect's answer has none). Databricks OAuth tokens live about an
// hour; five minutes keeps a token well inside that window even when the
// platform hands out one it issued a while ago, at the cost of one small
// request per connector every five minutes.
const ExchangeInterval = 5 * time.Minute

// Token exchange constants (RFC 8693, as used by Posit Connect).
const (
	ExchangePath       = "/__api__/v1/oauth/integrations/credentials"
	GrantTypeExchange  = "urn:ietf:params:oauth:grant-type:token-exchange"
	SubjectContentType = "urn:posit:connect:content-session-token"
	// SubjectUserType is the subject token type of a viewer's user session
	// token (the viewer strategy).
	SubjectUserType = "urn:posit:connect:user-session-token"
	// UserSessionHeader is the HTTP request header in which Posit Connect
	// hands a web application the viewer's user session token.
	UserSessionHeader = "Posit-Connect-User-Session-Token"
)

// maxResponse bounds what is read from an exchange answer.
const maxResponse = 1 << 20

// Exchange returns a source that trades the content session token for an
// access token at Posit Connect: POST {server}/__api__/v1/oauth/integrations/credentials
// with grant_type, subject_token_type and subject_token, authorized by
// "Key {apiKey}". sessionToken is called for every exchange. client is the
// HTTP client (nil: http.DefaultClient).
func Exchange(server, apiKey string, sessionToken func() (string, error), client *http.Client) Source {
	return exchange(server, apiKey, SubjectContentType, StepExchange, sessionToken, client)
}

// Viewer is the Posit Connect viewer strategy (PositCredentialsStrategy on
// Connect): it trades one viewer's user session token, from the
// Posit-Connect-User-Session-Token header of that viewer's request, for
// that viewer's access token, at the same endpoint as Exchange with
// subject_token_type urn:posit:connect:user-session-token.
func Viewer(server, apiKey, userSessionToken string, client *http.Client) Source {
	return exchange(server, apiKey, SubjectUserType, StepViewerExchange,
		func() (string, error) { return userSessionToken, nil }, client)
}

func exchange(server, apiKey, subjectType, step string, sessionToken func() (string, error), client *http.Client) Source {
	if client == nil {
		client = http.DefaultClient
	}
	endpoint := strings.TrimRight(server, "/") + ExchangePath
	return SourceFunc(func(ctx context.Context) (*oauth2.Token, error) {
		st, err := sessionToken()
		if err != nil {
			return nil, err
		}
		secrets := []string{apiKey, st}
		form := url.Values{
			"grant_type":         {GrantTypeExchange},
			"subject_token_type": {subjectType},
			"subject_token":      {st},
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
		if err != nil {
			return nil, fail(step, errors.New("CONNECT_SERVER is not a valid URL"))
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", "Key "+apiKey)
		resp, err := client.Do(req)
		if err != nil {
			return nil, fail(step, err, secrets...)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
		if err != nil {
			return nil, fail(step, err, secrets...)
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fail(step, fmt.Errorf("the Posit Connect server answered %s: %s", resp.Status, snippet(body)), secrets...)
		}
		var out struct {
			AccessToken     string `json:"access_token"`
			IssuedTokenType string `json:"issued_token_type"`
			TokenType       string `json:"token_type"`
			ExpiresIn       int64  `json:"expires_in"`
		}
		if err := json.Unmarshal(body, &out); err != nil {
			return nil, fail(step, errors.New("the answer is not the expected JSON object"))
		}
		if out.AccessToken == "" {
			return nil, fail(step, errors.New("the answer holds no access_token"))
		}
		t := &oauth2.Token{AccessToken: out.AccessToken, TokenType: "Bearer"}
		if out.ExpiresIn > 0 {
			t.Expiry = time.Now().Add(time.Duration(out.ExpiresIn) * time.Second)
		}
		return t, nil
	})
}

// snippet returns the start of an error body, for the message.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
