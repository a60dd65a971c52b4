package vault

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/vault/api"

	"github.com/vapsql/vap/internal/redact"
)

// Environment variables of the login methods (the Vault client reads
// VAULT_ADDR, VAULT_TOKEN and its TLS settings itself).
const (
	EnvToken         = "VAULT_TOKEN"
	EnvRoleID        = "VAULT_ROLE_ID"
	EnvSecretID      = "VAULT_SECRET_ID"
	EnvSecretIDFile  = "VAULT_SECRET_ID_FILE"
	EnvAppRoleMount  = "VAULT_APPROLE_MOUNT"
	EnvK8sRole       = "VAULT_K8S_ROLE"
	EnvK8sMount      = "VAULT_K8S_MOUNT"
	EnvK8sTokenPath  = "VAULT_K8S_TOKEN_PATH"
	DefaultK8sToken  = "/var/run/secrets/kubernetes.io/serviceaccount/token"
	defaultApprole   = "approle"
	defaultK8sMount  = "kubernetes"
	loginRenewMargin = 30 * time.Second
)

// Client resolves vault: and vault-db: references with one Vault client and
// one login. It is safe for concurrent use.
type Client struct {
	api   *api.Client
	login func(ctx context.Context) (*api.Secret, error) // nil: a static token
	what  string                                         // the login method, for errors
	now   func() time.Time

	mu       sync.Mutex // serializes logins; guards the fields below
	loggedIn bool
	expires  time.Time // of the login's token; zero: no expiry
	secrets  []string  // login secrets, scrubbed from errors (with the token)
	jwt      string    // the last service-account token sent
}

// NewClient returns a Client configured from the environment (see the
// package doc); getenv nil means os.Getenv. The Vault client's own
// settings (VAULT_ADDR, TLS, VAULT_TOKEN) are read from the process's
// environment by the Vault client.
func NewClient(getenv func(string) string) (*Client, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg := api.DefaultConfig()
	if cfg.Error != nil {
		return nil, fmt.Errorf("credential/vault: the Vault client's settings: %w", cfg.Error)
	}
	ac, err := api.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("credential/vault: %w", err)
	}
	return newClient(ac, getenv)
}

// NewClientWith returns a Client using ac (its address, TLS and token as
// set) and the login methods of getenv when ac has no token.
func NewClientWith(ac *api.Client, getenv func(string) string) (*Client, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	return newClient(ac, getenv)
}

func newClient(ac *api.Client, getenv func(string) string) (*Client, error) {
	c := &Client{api: ac, now: time.Now}
	if tok := getenv(EnvToken); tok != "" {
		ac.SetToken(tok)
	}
	if ac.Token() != "" {
		c.what = "token (" + EnvToken + ")"
		c.secrets = []string{ac.Token()}
		return c, nil
	}
	mount := func(env, def string) string {
		if m := strings.Trim(getenv(env), "/"); m != "" {
			return m
		}
		return def
	}
	switch {
	case getenv(EnvRoleID) != "":
		roleID, secretID := getenv(EnvRoleID), getenv(EnvSecretID)
		if secretID == "" && getenv(EnvSecretIDFile) != "" {
			b, err := os.ReadFile(getenv(EnvSecretIDFile))
			if err != nil {
				return nil, fmt.Errorf("credential/vault: reading %s: %w", EnvSecretIDFile, errors.Unwrap(err))
			}
			secretID = strings.TrimSpace(string(b))
		}
		if secretID == "" {
			return nil, fmt.Errorf("credential/vault: %s is set but neither %s nor %s is", EnvRoleID, EnvSecretID, EnvSecretIDFile)
		}
		path := "auth/" + mount(EnvAppRoleMount, defaultApprole) + "/login"
		c.what = "AppRole login at " + path
		c.secrets = []string{secretID, roleID}
		c.login = func(ctx context.Context) (*api.Secret, error) {
			return ac.Logical().WriteWithContext(ctx, path, map[string]any{"role_id": roleID, "secret_id": secretID})
		}
	case getenv(EnvK8sRole) != "":
		role, tokenPath := getenv(EnvK8sRole), getenv(EnvK8sTokenPath)
		if tokenPath == "" {
			tokenPath = DefaultK8sToken
		}
		path := "auth/" + mount(EnvK8sMount, defaultK8sMount) + "/login"
		c.what = "Kubernetes login at " + path
		c.login = func(ctx context.Context) (*api.Secret, error) {
			// Read at each login: the kubelet rotates the projected token.
			b, err := os.ReadFile(tokenPath)
			if err != nil {
				return nil, fmt.Errorf("reading the service-account token: %w", err)
			}
			jwt := strings.TrimSpace(string(b))
			c.jwt = jwt // under c.mu: logins run in ensureLogin
			return ac.Logical().WriteWithContext(ctx, path, map[string]any{"role": role, "jwt": jwt})
		}
	default:
		return nil, errors.New("credential/vault: no Vault credentials: set " + EnvToken + ", " + EnvRoleID + " and " +
			EnvSecretID + " (AppRole), or " + EnvK8sRole + " (Kubernetes)")
	}
	return c, nil
}

// ensureLogin logs in when the Client has a login method and no valid
// token (or force: Vault refused the token). A login token close to its
// expiry is renewed (auth/token/renew-self) rather than replaced: Vault
// revokes the leases a token created (vault-db: users) when the token
// ends, so the token is kept alive while it can be; a new login comes only
// when renewal fails or no longer extends it (its maximum TTL).
func (c *Client) ensureLogin(ctx context.Context, force bool, used string) error {
	if c.login == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if force && c.api.Token() != used {
		return nil // another caller logged in again meanwhile
	}
	if c.loggedIn && !force {
		if c.expires.IsZero() || c.now().Before(c.expires.Add(-loginRenewMargin)) {
			return nil
		}
		start := c.now()
		if s, err := c.api.Auth().Token().RenewSelfWithContext(ctx, 0); err == nil && s != nil && s.Auth != nil && s.Auth.LeaseDuration > 0 {
			if exp := start.Add(time.Duration(s.Auth.LeaseDuration) * time.Second); exp.After(start.Add(loginRenewMargin)) {
				c.expires = exp
				return nil
			}
		}
	}
	start := c.now()
	s, err := c.login(ctx)
	if err != nil {
		return c.scrubLocked(fmt.Errorf("credential/vault: %s: %w", c.what, err))
	}
	if s == nil || s.Auth == nil || s.Auth.ClientToken == "" {
		return fmt.Errorf("credential/vault: %s: the answer holds no token", c.what)
	}
	c.api.SetToken(s.Auth.ClientToken)
	c.loggedIn = true
	c.expires = time.Time{}
	if s.Auth.LeaseDuration > 0 {
		c.expires = start.Add(time.Duration(s.Auth.LeaseDuration) * time.Second)
	}
	return nil
}

// renewToken renews a login's token now (auth/token/renew-self), for a
// lease renewal: the lease lives no longer than the token. It reports the
// token's expiry (zero: a static token, or none).
func (c *Client) renewToken(ctx context.Context) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.login == nil || !c.loggedIn || c.expires.IsZero() {
		return c.expires
	}
	start := c.now()
	if s, err := c.api.Auth().Token().RenewSelfWithContext(ctx, 0); err == nil && s != nil && s.Auth != nil && s.Auth.LeaseDuration > 0 {
		if exp := start.Add(time.Duration(s.Auth.LeaseDuration) * time.Second); exp.After(c.expires) {
			c.expires = exp
		}
	}
	return c.expires
}

// tokenExpires is the login token's expiry (zero: none known).
func (c *Client) tokenExpires() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.expires
}

// do runs call with a valid token, logging in again once if Vault refuses
// the token of a login.
func (c *Client) do(ctx context.Context, call func() error) error {
	if err := c.ensureLogin(ctx, false, ""); err != nil {
		return err
	}
	used := c.api.Token()
	err := call()
	var re *api.ResponseError
	if err != nil && c.login != nil && errors.As(err, &re) && re.StatusCode == http.StatusForbidden {
		if lerr := c.ensureLogin(ctx, true, used); lerr != nil {
			return lerr
		}
		err = call()
	}
	return c.scrub(err)
}

// scrub removes every login secret and token from err's message.
func (c *Client) scrub(err error) error {
	if err == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.scrubLocked(err)
}

func (c *Client) scrubLocked(err error) error {
	if err == nil {
		return nil
	}
	return redact.Error(err, append([]string{c.api.Token(), c.jwt}, c.secrets...)...)
}
