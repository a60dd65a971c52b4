package databricks_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/databricks"
	"github.com/vapsql/vap/registry/databricks/credentials"
)

var canaries = []string{pat, clientSecret, apiKey, sessionToken,
	// The client-credentials Basic header, as RFC 6749 2.3.1 and oauth2 build it.
	base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(clientID) + ":" + url.QueryEscape(clientSecret))),
	base64.StdEncoding.EncodeToString([]byte(clientID + ":" + clientSecret)),
}

func leaks(s string) string {
	for _, c := range canaries {
		if strings.Contains(s, c) {
			return c[:4] + "…"
		}
	}
	return ""
}

// TestCredentialFailures drives every credential failure path with servers
// that echo the secrets they were sent, and checks that each error names the
// connection and the step and holds no secret.
func TestCredentialFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra map[string]string
		setup func(w *warehouse, te *tokenEndpoint, ex *exchangeEndpoint) env
		step  string
	}{
		{name: "token endpoint refuses", extra: map[string]string{"client_id": clientID, "client_secret": clientSecret},
			setup: func(_ *warehouse, te *tokenEndpoint, _ *exchangeEndpoint) env {
				te.status, te.body = http.StatusUnauthorized, `{"error":"invalid_client","echo":"`+clientSecret+`"}`
				return env{}
			}, step: credentials.StepClientCreds},
		{name: "token endpoint echoes the Authorization header", extra: map[string]string{"client_id": clientID, "client_secret": clientSecret},
			setup: func(_ *warehouse, te *tokenEndpoint, _ *exchangeEndpoint) env {
				te.status, te.body, te.echoAuth = http.StatusUnauthorized, `invalid_client, you sent:`, true
				return env{}
			}, step: credentials.StepClientCreds},
		{name: "exchange refuses", extra: map[string]string{"auth_type": "token-exchange"},
			setup: func(_ *warehouse, _ *tokenEndpoint, ex *exchangeEndpoint) env {
				ex.status, ex.body = http.StatusForbidden, apiKey+" "+sessionToken
				return env{"CONNECT_SERVER": ex.srv.URL, "CONNECT_API_KEY": apiKey, "CONNECT_CONTENT_SESSION_TOKEN": sessionToken}
			}, step: credentials.StepExchange},
		{name: "exchange answers garbage", extra: map[string]string{"auth_type": "token-exchange"},
			setup: func(_ *warehouse, _ *tokenEndpoint, ex *exchangeEndpoint) env {
				ex.status, ex.body = http.StatusOK, "not json "+apiKey+" "+sessionToken
				return env{"CONNECT_SERVER": ex.srv.URL, "CONNECT_API_KEY": apiKey, "CONNECT_CONTENT_SESSION_TOKEN": sessionToken}
			}, step: credentials.StepExchange},
		{name: "session token file missing", extra: map[string]string{"auth_type": "token-exchange"},
			setup: func(_ *warehouse, _ *tokenEndpoint, ex *exchangeEndpoint) env {
				return env{"CONNECT_SERVER": ex.srv.URL, "CONNECT_API_KEY": apiKey,
					"CONNECT_CONTENT_SESSION_TOKEN_FILE": filepath.Join(t.TempDir(), "absent")}
			}, step: credentials.StepSessionToken},
		{name: "warehouse refuses the token", extra: map[string]string{"access_token": pat},
			setup: func(w *warehouse, _ *tokenEndpoint, _ *exchangeEndpoint) env {
				w.status, w.body = http.StatusUnauthorized, pat
				return env{}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWarehouse(t)
			te := newTokenEndpoint(t, clientID, clientSecret)
			ex := newExchange(t, apiKey, sessionToken)
			e := tc.setup(w, te, ex)
			f := fields(w, tc.extra)
			f["token_endpoint"] = te.srv.URL
			name := "dbx canary " + tc.name
			db := open(t, name, f, databricks.WithLookupEnv(e.lookup))
			err := connect(t, db)
			if err == nil {
				t.Fatal("connect succeeded")
			}
			if s := leaks(err.Error()); s != "" {
				t.Fatalf("error leaks secret %s", s)
			}
			if !strings.Contains(err.Error(), `"`+name+`"`) {
				t.Errorf("error does not name the connection: %v", err)
			}
			if tc.step != "" {
				var ce *credentials.Error
				if !errors.As(err, &ce) || ce.Step != tc.step || !strings.Contains(err.Error(), tc.step) {
					t.Errorf("error does not name the step %q: %v", tc.step, err)
				}
				if len(w.opens()) != 0 {
					t.Error("the driver contacted the warehouse without a token")
				}
			}
		})
	}
}

func TestValidation(t *testing.T) {
	typ := databricks.New(databricks.WithLookupEnv(env{}.lookup))
	base := map[string]string{"server_hostname": "dbc-1.cloud.databricks.com", "http_path": httpPath}
	for _, tc := range []struct {
		name  string
		extra map[string]string
		field string // "" : valid
	}{
		{"pat ok", map[string]string{"access_token": pat}, ""},
		{"https stripped", map[string]string{"server_hostname": "https://dbc-1.cloud.databricks.com/", "access_token": pat}, ""},
		{"host:port", map[string]string{"server_hostname": "dbc-1.cloud.databricks.com:8443", "access_token": pat}, ""},
		{"http refused", map[string]string{"server_hostname": "http://dbc-1.cloud.databricks.com", "access_token": pat}, "server_hostname"},
		{"path in host", map[string]string{"server_hostname": "dbc-1/x", "access_token": pat}, "server_hostname"},
		{"no credentials", nil, "access_token"},
		{"m2m half", map[string]string{"auth_type": "oauth-m2m", "client_id": clientID}, "client_secret"},
		{"unknown auth", map[string]string{"auth_type": "kerberos", "access_token": pat}, "auth_type"},
		{"plain http endpoint", map[string]string{"client_id": clientID, "client_secret": clientSecret, "token_endpoint": "http://idp.example.com/token"}, "token_endpoint"},
		{"loopback http endpoint", map[string]string{"client_id": clientID, "client_secret": clientSecret, "token_endpoint": "http://127.0.0.1:9/token"}, ""},
		{"exchange alone", map[string]string{"auth_type": "token-exchange"}, ""},
		{"bad timeout", map[string]string{"access_token": pat, "options.timeout": "soon"}, "options.timeout"},
		{"cloud fetch off", map[string]string{"access_token": pat, "options.cloud_fetch": "false"}, ""},
		{"bad cloud fetch", map[string]string{"access_token": pat, "options.cloud_fetch": "maybe"}, "options.cloud_fetch"},
		{"download threads", map[string]string{"access_token": pat, "options.max_download_threads": "4"}, ""},
		{"zero download threads", map[string]string{"access_token": pat, "options.max_download_threads": "0"}, "options.max_download_threads"},
		{"too many download threads", map[string]string{"access_token": pat, "options.max_download_threads": "65"}, "options.max_download_threads"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := map[string]string{}
			for k, v := range base {
				f[k] = v
			}
			for k, v := range tc.extra {
				f[k] = v
			}
			err := typ.Validate(registry.NewParams("c", "databricks", f))
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !errors.Is(err, registry.ErrInvalidField) || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("err = %v, want a field error on %s", err, tc.field)
			}
			if s := leaks(err.Error()); s != "" {
				t.Fatalf("error leaks %s", s)
			}
		})
	}

	t.Run("exchange without platform or local credentials", func(t *testing.T) {
		f := map[string]string{"server_hostname": "dbc-1.cloud.databricks.com", "http_path": httpPath, "auth_type": "token-exchange"}
		_, err := typ.Connector(context.Background(), registry.NewParams("lonely", "databricks", f))
		var ce *credentials.Error
		if !errors.As(err, &ce) || ce.Step != credentials.StepPlatform {
			t.Fatalf("err = %v, want a %q credentials error", err, credentials.StepPlatform)
		}
		for _, s := range []string{`"lonely"`, "CONNECT_SERVER", "CONNECT_API_KEY"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error does not mention %s: %v", s, err)
			}
		}
	})
}
