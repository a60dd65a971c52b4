package credentials

import (
	"errors"
	"net/http"
	"os"
	"strings"
)

// Environment variables set by Posit Connect in a content's environment.
const (
	EnvServer           = "CONNECT_SERVER"
	EnvAPIKey           = "CONNECT_API_KEY"
	EnvSessionTokenFile = "CONNECT_CONTENT_SESSION_TOKEN_FILE"
	EnvSessionToken     = "CONNECT_CONTENT_SESSION_TOKEN"
)

// LookupEnv is the signature of os.LookupEnv.
type LookupEnv func(key string) (string, bool)

// Platform is what DetectPlatform found about Posit Connect.
type Platform struct {
	Server  string // CONNECT_SERVER
	APIKey  string // CONNECT_API_KEY (secret)
	tokFile string
	tok     string
	Missing []string // the variables that are unset, when not on the platform
}

// OnConnect reports whether all the variables the exchange needs are set.
func (p *Platform) OnConnect() bool { return len(p.Missing) == 0 }

// DetectPlatform reads the CONNECT_* variables through lookup. The content
// session token comes from the file named by CONNECT_CONTENT_SESSION_TOKEN_FILE
// when it is set, else from CONNECT_CONTENT_SESSION_TOKEN.
func DetectPlatform(lookup LookupEnv) *Platform {
	get := func(k string) string {
		v, _ := lookup(k)
		return strings.TrimSpace(v)
	}
	p := &Platform{Server: get(EnvServer), APIKey: get(EnvAPIKey), tokFile: get(EnvSessionTokenFile), tok: get(EnvSessionToken)}
	if p.Server == "" {
		p.Missing = append(p.Missing, EnvServer)
	}
	if p.APIKey == "" {
		p.Missing = append(p.Missing, EnvAPIKey)
	}
	if p.tokFile == "" && p.tok == "" {
		p.Missing = append(p.Missing, EnvSessionTokenFile+" or "+EnvSessionToken)
	}
	return p
}

// SessionToken returns the content session token, reading the token file
// afresh when one is named.
func (p *Platform) SessionToken() (string, error) {
	if p.tokFile == "" {
		if p.tok == "" {
			return "", &Error{Step: StepSessionToken, Err: errors.New(EnvSessionToken + " is empty")}
		}
		return p.tok, nil
	}
	b, err := os.ReadFile(p.tokFile)
	if err != nil {
		// The *PathError names the file, which is not secret.
		return "", &Error{Step: StepSessionToken, Err: err}
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		return "", &Error{Step: StepSessionToken, Err: errors.New("the file named by " + EnvSessionTokenFile + " is empty")}
	}
	return t, nil
}

// Secrets returns the platform's secret values, for scrubbing.
func (p *Platform) Secrets() []string { return []string{p.APIKey, p.tok} }

// Content is the Posit Connect content strategy: on Connect it exchanges the
// content session token (Exchange); elsewhere it falls back to local, the
// connection's own strategy (client credentials or a personal access token),
// like PositContentCredentialsStrategy(local_strategy=…). With neither, it
// fails naming the unset variables.
func Content(p *Platform, local Source, client *http.Client) (Source, error) {
	if p.OnConnect() {
		return Exchange(p.Server, p.APIKey, p.SessionToken, client), nil
	}
	if local != nil {
		return local, nil
	}
	return nil, &Error{Step: StepPlatform, Err: errors.New("not running on Posit Connect (unset: " +
		strings.Join(p.Missing, ", ") + ") and the connection has no local credentials (client_id and client_secret, or access_token)")}
}
