package databricks

import (
	"context"
	"database/sql/driver"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/databricks/credentials"
)

// Auth types (field auth_type).
const (
	AuthPAT           = "pat"
	AuthM2M           = "oauth-m2m"
	AuthTokenExchange = "token-exchange"
)

// DefaultPort is the port of the Thrift endpoint.
const DefaultPort = 443

// Option configures New.
type Option func(*settings)

type settings struct {
	lookupEnv credentials.LookupEnv
	client    *http.Client
	now       func() time.Time
}

// WithLookupEnv sets how the token-exchange strategy reads the CONNECT_*
// variables (default os.LookupEnv).
func WithLookupEnv(fn func(string) (string, bool)) Option {
	return func(s *settings) { s.lookupEnv = fn }
}

// WithHTTPClient sets the HTTP client for the token endpoint and the Posit
// Connect exchange (default http.DefaultClient). The Thrift endpoint always
// uses the connector's own transport.
func WithHTTPClient(c *http.Client) Option { return func(s *settings) { s.client = c } }

// WithClock sets the clock of the token cache (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *settings) { s.now = now } }

// Databricks is the registered databricks type (environment read with
// os.LookupEnv).
var Databricks = New()

func init() { registry.Register(Databricks) }

// New returns a databricks Type configured by opts, for a private
// registry (tests, or a program that injects the environment).
func New(opts ...Option) *registry.Type {
	s := &settings{lookupEnv: os.LookupEnv, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return &registry.Type{
		Name:        "databricks",
		Driver:      "github.com/databricks/databricks-sql-go",
		DefaultPort: DefaultPort,
		Required:    []string{"server_hostname", "http_path"},
		Optional:    []string{"port", "catalog", "schema", "auth_type", "access_token", "client_id", "client_secret", "token_endpoint"},
		Secrets:     []string{"access_token", "client_secret"},
		Options:     []string{"timeout", "max_rows", "user_agent_entry", "cloud_fetch", "max_download_threads"},
		Bind:        registry.Question,
		PingQuery:   "SELECT 1",
		Check:       func(p registry.Params) error { _, err := parse(p); return err },
		Packages:    []string{"github.com/databricks/databricks-sql-go"},
		Dialect:     Dialect,
		Columns:     Columns,
		DriverRows:  DriverRows,
		Connector: func(ctx context.Context, p registry.Params) (driver.Connector, error) {
			return newConnector(p, s)
		},
	}
}

// config is a validated databricks connection.
type config struct {
	host, httpPath, catalog, schema string
	port                            int
	auth                            string
	accessToken                     string
	clientID, clientSecret          string
	tokenEndpoint                   string
	timeout                         time.Duration
	maxRows                         int
	userAgent                       string
	cloudFetch                      bool
	downloadThreads                 int
}

// DefaultDownloadThreads is how many CloudFetch files a query downloads at
// once unless options.max_download_threads says otherwise. The driver's
// default is 10; each file is held in memory whole (and again decoded), so
// a Flow's memory while reading a CloudFetch result is about
// (threads + 1) × file size × 2. Two keeps one download ahead of the
// reader.
const DefaultDownloadThreads = 2

func bad(p registry.Params, field, reason string) error {
	return &registry.FieldError{Type: p.Type(), Field: field, Reason: reason}
}

// parse validates p. Its errors name fields, never values of secrets.
func parse(p registry.Params) (*config, error) {
	c := &config{
		httpPath: strings.TrimSpace(p.Get("http_path")),
		catalog:  p.Get("catalog"), schema: p.Get("schema"),
		accessToken: p.Get("access_token"),
		clientID:    strings.TrimSpace(p.Get("client_id")), clientSecret: p.Get("client_secret"),
		userAgent: "vap",
	}
	host := strings.TrimSpace(p.Get("server_hostname"))
	if h, ok := cutPrefixFold(host, "https://"); ok {
		host = h
	} else if _, ok := cutPrefixFold(host, "http://"); ok {
		return nil, bad(p, "server_hostname", "must not start with http:// (tokens would cross the network in clear); use https:// or the bare host name")
	}
	host = strings.TrimRight(host, "/")
	c.port = p.Port(DefaultPort)
	if h, port, err := net.SplitHostPort(host); err == nil {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return nil, bad(p, "server_hostname", "has a port that is not a number from 1 to 65535")
		}
		if _, set := p.Lookup("port"); set && p.Port(DefaultPort) != n {
			return nil, bad(p, "server_hostname", "names a port that differs from the port field")
		}
		host, c.port = h, n
	}
	if host == "" || strings.ContainsAny(host, "/?#@ \t") {
		return nil, bad(p, "server_hostname", "must be a host name such as dbc-123.cloud.databricks.com")
	}
	c.host = host
	if c.httpPath == "" {
		return nil, bad(p, "http_path", "is required")
	}
	c.auth = strings.ToLower(strings.TrimSpace(p.Get("auth_type")))
	if c.auth == "" {
		c.auth = AuthPAT
		if c.clientID != "" || c.clientSecret != "" {
			c.auth = AuthM2M
		}
	}
	switch c.auth {
	case AuthPAT:
		if c.accessToken == "" {
			return nil, bad(p, "access_token", "is required for auth_type pat (or set client_id and client_secret for oauth-m2m)")
		}
	case AuthM2M:
		if c.clientID == "" || c.clientSecret == "" {
			return nil, bad(p, "client_secret", "and client_id are required for auth_type oauth-m2m")
		}
	case AuthTokenExchange:
		if (c.clientID == "") != (c.clientSecret == "") {
			return nil, bad(p, "client_secret", "and client_id go together (the local fallback of token-exchange)")
		}
	default:
		return nil, bad(p, "auth_type", "must be one of pat, oauth-m2m, token-exchange")
	}
	c.tokenEndpoint = strings.TrimSpace(p.Get("token_endpoint"))
	if c.tokenEndpoint == "" {
		c.tokenEndpoint = "https://" + net.JoinHostPort(c.host, strconv.Itoa(DefaultPort)) + "/oidc/v1/token"
		if c.port == DefaultPort {
			c.tokenEndpoint = "https://" + c.host + "/oidc/v1/token"
		}
	} else if err := checkEndpoint(c.tokenEndpoint); err != "" {
		return nil, bad(p, "token_endpoint", err)
	}
	if v, ok := p.Option("timeout"); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return nil, bad(p, "options.timeout", "must be a duration such as 5m")
		}
		c.timeout = d
	}
	if v, ok := p.Option("max_rows"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, bad(p, "options.max_rows", "must be a positive whole number")
		}
		c.maxRows = n
	}
	if v, ok := p.Option("user_agent_entry"); ok {
		c.userAgent = v
	}
	c.cloudFetch, c.downloadThreads = true, DefaultDownloadThreads
	if v, ok := p.Option("cloud_fetch"); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, bad(p, "options.cloud_fetch", "must be true or false")
		}
		c.cloudFetch = b
	}
	if v, ok := p.Option("max_download_threads"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 64 {
			return nil, bad(p, "options.max_download_threads", "must be a whole number from 1 to 64")
		}
		c.downloadThreads = n
	}
	return c, nil
}

// checkEndpoint accepts https URLs, and http only to a loopback host.
func checkEndpoint(s string) string {
	u, err := urlParse(s)
	if err != nil || u.Host == "" {
		return "must be an absolute https:// URL"
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		if h := u.Hostname(); h == "localhost" || net.ParseIP(h).IsLoopback() {
			return ""
		}
		return "must use https:// (http:// is allowed only to a loopback host)"
	}
	return "must be an absolute https:// URL"
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
