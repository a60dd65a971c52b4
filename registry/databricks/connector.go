package databricks

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"
	"net/http"
	"net/url"

	dbsql "github.com/databricks/databricks-sql-go"

	"github.com/vapsql/vap/internal/redact"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/databricks/credentials"
)

func urlParse(s string) (*url.URL, error) { return url.Parse(s) }

// Connector is the databricks connector: the driver's connector plus the
// token cache that all its connections share. Connect returns the driver's
// connection unwrapped.
type Connector struct {
	name      string
	inner     driver.Connector
	tokens    *credentials.Cached
	transport *privateTransport
	secrets   []string
}

var (
	_ driver.Connector = (*Connector)(nil)
	_ io.Closer        = (*Connector)(nil)
)

// source builds the credential strategy of c.
func source(c *config, s *settings) (credentials.Source, []string, error) {
	secrets := append([]string{c.accessToken}, credentials.ClientSecrets(c.clientID, c.clientSecret)...)
	var local credentials.Source
	switch {
	case c.clientID != "" && c.clientSecret != "":
		local = credentials.ClientCredentials(c.tokenEndpoint, c.clientID, c.clientSecret, s.client)
	case c.accessToken != "":
		local = credentials.Static(c.accessToken)
	}
	switch c.auth {
	case AuthPAT:
		return credentials.Static(c.accessToken), secrets, nil
	case AuthM2M:
		return local, secrets, nil
	}
	plat := credentials.DetectPlatform(s.lookupEnv)
	secrets = append(secrets, plat.Secrets()...)
	src, err := credentials.Content(plat, local, s.client)
	return src, secrets, err
}

func newConnector(p registry.Params, s *settings) (*Connector, error) {
	c, err := parse(p)
	if err != nil {
		return nil, err
	}
	src, secrets, err := source(c, s)
	if err != nil {
		return nil, fmt.Errorf("databricks: connection %q: %w", p.Name(), err)
	}
	return connectorWith(p, c, s, src, secrets)
}

// connectorWith builds the connector of the validated connection c with
// the credential source src (secrets: what its errors must not show).
func connectorWith(p registry.Params, c *config, s *settings, src credentials.Source, secrets []string) (*Connector, error) {
	var err error
	conn := &Connector{
		name:      p.Name(),
		tokens:    credentials.NewCached(src, credentials.ExchangeInterval, s.now),
		transport: newTransport(),
		secrets:   secrets,
	}
	opts := []dbsql.ConnOption{
		dbsql.WithServerHostname(c.host), // first: later options read the host
		dbsql.WithPort(c.port),
		dbsql.WithHTTPPath(c.httpPath),
		dbsql.WithAuthenticator(bearer{conn}),
		dbsql.WithTransport(conn.transport),
		dbsql.WithUserAgentEntry(c.userAgent),
		dbsql.WithCloudFetch(c.cloudFetch),
		dbsql.WithMaxDownloadThreads(c.downloadThreads),
	}
	if c.catalog != "" || c.schema != "" {
		opts = append(opts, dbsql.WithInitialNamespace(c.catalog, c.schema))
	}
	if c.timeout > 0 {
		opts = append(opts, dbsql.WithTimeout(c.timeout))
	}
	if c.maxRows > 0 {
		opts = append(opts, dbsql.WithMaxRows(c.maxRows))
	}
	conn.inner, err = dbsql.NewConnector(opts...)
	if err != nil {
		return nil, redact.Error(fmt.Errorf("databricks: connection %q: %w", p.Name(), err), secrets...)
	}
	return conn, nil
}

// token returns the shared token, with errors naming the connection.
func (c *Connector) token(ctx context.Context) (string, error) {
	t, err := c.tokens.Token(ctx)
	if err != nil {
		return "", redact.Error(fmt.Errorf("databricks: connection %q: %w", c.name, err), c.secrets...)
	}
	return t.AccessToken, nil
}

// Connect obtains the token first, so that a credential failure is reported
// as one (and not retried by the driver's HTTP client), then opens a
// session with the driver.
func (c *Connector) Connect(ctx context.Context) (driver.Conn, error) {
	if _, err := c.token(ctx); err != nil {
		return nil, err
	}
	return c.inner.Connect(ctx)
}

// Driver returns the databricks driver.
func (c *Connector) Driver() driver.Driver { return c.inner.Driver() }

// Close releases the connector's idle HTTP connections.
func (c *Connector) Close() error {
	c.transport.close()
	return nil
}

// TokenFetches reports how many tokens the connector fetched from its
// credential source (a personal access token counts once per cache
// lifetime).
func (c *Connector) TokenFetches() int64 { return c.tokens.Fetches() }

// bearer sets "Authorization: Bearer <token>" on every driver request.
type bearer struct{ c *Connector }

func (b bearer) Authenticate(r *http.Request) error {
	t, err := b.c.token(r.Context())
	if err != nil {
		return err
	}
	r.Header.Set("Authorization", "Bearer "+t)
	return nil
}
