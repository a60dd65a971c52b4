package mssql

import (
	"context"
	"database/sql/driver"
	"errors"
	"maps"
	"net"
	"net/url"
	"slices"
	"strconv"

	gomssql "github.com/microsoft/go-mssqldb"
	"github.com/microsoft/go-mssqldb/msdsn"

	"github.com/vapsql/vap/registry"
)

// DefaultEncrypt is options.encrypt when the connection does not set it:
// full TLS with the server certificate verified.
const DefaultEncrypt = "true"

// options maps each accepted option to its msdsn parameter.
var options = map[string]string{
	"encrypt":                "encrypt",
	"trustservercertificate": "TrustServerCertificate",
	"hostnameincertificate":  "hostnameincertificate",
	"certificate":            "certificate",
	"tlsmin":                 "tlsmin",
	"app_name":               "app name",
	"connection_timeout":     "connection timeout",
	"dial_timeout":           "dial timeout",
	"applicationintent":      "ApplicationIntent",
}

var encryptValues = map[string]bool{"true": true, "false": true, "disable": true, "strict": true,
	"mandatory": true, "optional": true, "yes": true, "no": true}

// The SQL Server types. They differ only in name: the seed's SQLAlchemy
// dialect names all mean SQL Server here.
var (
	// MSSQL is the mssql type (alias sqlserver).
	MSSQL = newType("mssql", "sqlserver")
	// PyODBC is the mssql+pyodbc type.
	PyODBC = newType("mssql+pyodbc")
	// PyMySQL is the mssql+pymysql type (so named in the seed).
	PyMySQL = newType("mssql+pymysql")
	// PyMSSQL is the mssql+pymssql type.
	PyMSSQL = newType("mssql+pymssql")
)

func newType(name string, aliases ...string) *registry.Type {
	opts := slices.Sorted(maps.Keys(options))
	return &registry.Type{
		Name:            name,
		Aliases:         aliases,
		Driver:          "github.com/microsoft/go-mssqldb",
		DefaultPort:     1433,
		Required:        []string{"host"}, // and user_name, unless auth_type azure-ad (checkAuth)
		Optional:        append([]string{"user_name", "password", "port", "dbname"}, azureFields...),
		Secrets:         append([]string{"password"}, azureSecrets...),
		Options:         opts,
		Bind:            registry.AtP,
		PingQuery:       "SELECT 1",
		Check:           check,
		Packages:        []string{"github.com/microsoft/go-mssqldb", "github.com/denisenkom/go-mssqldb"},
		CredentialAuths: []string{AuthAzureAD},
		AuthError:       authError,
		Dialect:         Dialect,
		Load:            Load,
		Connector: func(ctx context.Context, p registry.Params) (driver.Connector, error) {
			if p.Get("auth_type") == AuthAzureAD {
				// Its connector is credential/azuread's (a
				// credential.ConnectorAuth): without it there is no token
				// to log in with.
				return nil, errors.New("mssql: auth_type " + AuthAzureAD + " logs in with an access token: its connector is made by github.com/vapsql/vap/credential/azuread")
			}
			cfg, err := Config(p)
			if err != nil {
				return nil, err
			}
			return gomssql.NewConnectorConfig(cfg), nil
		},
	}
}

func init() {
	for _, t := range []*registry.Type{MSSQL, PyODBC, PyMySQL, PyMSSQL} {
		registry.Register(t)
	}
}

func check(p registry.Params) error {
	if err := checkAuth(p); err != nil {
		return err
	}
	if v, ok := p.Option("encrypt"); ok && !encryptValues[v] {
		return &registry.FieldError{Type: p.Type(), Field: "options.encrypt", Reason: "must be one of true, false, disable, strict"}
	}
	_, err := Config(p)
	return err
}

// Config returns the go-mssqldb configuration for p: the URL (without
// credentials) goes through msdsn.Parse, then User and Password are set.
func Config(p registry.Params) (msdsn.Config, error) {
	q := url.Values{}
	q.Set("encrypt", DefaultEncrypt)
	q.Set("app name", "vap")
	q.Set("connection timeout", "30")
	q.Set("dial timeout", "15")
	if db := p.Get("dbname"); db != "" {
		q.Set("database", db)
	}
	for k, v := range p.Options() {
		if key, ok := options[k]; ok {
			q.Set(key, v)
		}
	}
	u := url.URL{
		Scheme:   "sqlserver",
		Host:     net.JoinHostPort(p.Host(), strconv.Itoa(p.Port(1433))),
		RawQuery: q.Encode(),
	}
	cfg, err := msdsn.Parse(u.String())
	if err != nil {
		// The URL holds no credentials, and msdsn's messages quote option
		// values only.
		return msdsn.Config{}, &registry.FieldError{Type: p.Type(), Field: "options", Reason: "are invalid: " + err.Error()}
	}
	if p.Get("auth_type") == AuthAzureAD {
		// The login is an access token (credential/azuread); no SQL
		// Server user or password is sent.
		if cfg.Encryption == msdsn.EncryptionDisabled {
			return msdsn.Config{}, &registry.FieldError{Type: p.Type(), Field: "options.encrypt", Reason: "must not be disable with auth_type " + AuthAzureAD + " (the access token would be sent without TLS)"}
		}
		return cfg, nil
	}
	cfg.User = p.Get("user_name")
	cfg.Password = p.Get("password")
	if cfg.User == "" {
		return msdsn.Config{}, errors.New("mssql: user_name is empty")
	}
	return cfg, nil
}
