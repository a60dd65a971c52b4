package credentials

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// M2MScope is the scope asked for by the client-credentials grant.
const M2MScope = "all-apis"

// ClientCredentials returns a source that runs the OAuth client-credentials
// grant (scope all-apis) against tokenURL for every token: wrap it in a
// Cached. client is the HTTP client for the token endpoint (nil:
// http.DefaultClient).
func ClientCredentials(tokenURL, clientID, clientSecret string, client *http.Client) Source {
	cfg := &clientcredentials.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		TokenURL:     tokenURL,
		Scopes:       []string{M2MScope},
		AuthStyle:    oauth2.AuthStyleInHeader,
	}
	return SourceFunc(func(ctx context.Context) (*oauth2.Token, error) {
		if client != nil {
			ctx = context.WithValue(ctx, oauth2.HTTPClient, client)
		}
		t, err := cfg.Token(ctx)
		if err != nil {
			return nil, fail(StepClientCreds, err, ClientSecrets(clientID, clientSecret)...)
		}
		return t, nil
	})
}

// ClientSecrets returns the secret and the forms the client-credentials
// grant sends it in, which a token endpoint may echo: the Basic
// Authorization credential base64("id:secret"), with id and secret
// form-encoded (RFC 6749 2.3.1, as golang.org/x/oauth2 sends it) and as is.
// Scrub errors of all of them.
func ClientSecrets(clientID, clientSecret string) []string {
	if clientSecret == "" {
		return nil
	}
	return []string{clientSecret,
		base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(clientID) + ":" + url.QueryEscape(clientSecret))),
		base64.StdEncoding.EncodeToString([]byte(clientID + ":" + clientSecret)),
	}
}
