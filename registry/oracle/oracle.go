package oracle

import (
	"context"
	"database/sql/driver"
	"errors"
	"maps"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/sijms/go-ora/v2/configurations"

	"github.com/vapsql/vap/registry"
)

// options maps each accepted option to its go-ora URL parameter.
var options = map[string]string{
	"ssl":           "SSL",
	"ssl_verify":    "SSL VERIFY",
	"timeout":       "TIMEOUT",
	"prefetch_rows": "PREFETCH_ROWS",
	"language":      "LANGUAGE",
	"territory":     "TERRITORY",
}

// Oracle is the oracle type.
var Oracle = &registry.Type{
	Name:        "oracle",
	Driver:      "github.com/sijms/go-ora/v2",
	DefaultPort: 1521,
	Required:    []string{"host", "user_name", "password"},
	Optional:    []string{"port", "dbname", "sid"},
	Secrets:     []string{"password"},
	Options:     slices.Sorted(maps.Keys(options)),
	Bind:        registry.Colon,
	PingQuery:   "SELECT 1 FROM DUAL",
	Check:       check,
	Packages:    []string{"github.com/sijms/go-ora", "github.com/godror/godror"},
	AuthError:   authError,
	Dialect:     Dialect,
	Columns:     Columns,
	Connector: func(ctx context.Context, p registry.Params) (driver.Connector, error) {
		u, err := URL(p)
		if err != nil {
			return nil, err
		}
		cfg, err := parse(p, u)
		if err != nil {
			return nil, err
		}
		return newConnector(u.String(), cfg.Timeout), nil
	},
}

func init() { registry.Register(Oracle) }

// nlsName is an NLS language or territory name. go-ora writes the value
// into ALTER SESSION SET NLS_LANGUAGE='…' between quotes, unescaped, so
// nothing else may reach it.
var nlsName = regexp.MustCompile(`^[A-Za-z][A-Za-z-]*( [A-Za-z][A-Za-z-]*)*$`)

func check(p registry.Params) error {
	if strings.TrimSpace(p.Get("dbname")) == "" && strings.TrimSpace(p.Get("sid")) == "" {
		return &registry.FieldError{Type: p.Type(), Field: "dbname", Reason: "(the service name) or sid is required"}
	}
	for _, k := range []string{"ssl", "ssl_verify"} {
		if _, err := p.Bool(registry.OptionPrefix+k, false); err != nil {
			return err
		}
	}
	for _, k := range []string{"language", "territory"} {
		if v, ok := p.Option(k); ok && (len(v) > 64 || !nlsName.MatchString(v)) {
			return &registry.FieldError{Type: p.Type(), Field: registry.OptionPrefix + k, Reason: "must be an Oracle NLS name: letters, single spaces and hyphens (AMERICAN, BRAZILIAN PORTUGUESE), at most 64 characters"}
		}
	}
	for _, k := range []string{"timeout", "prefetch_rows"} {
		if v, ok := p.Option(k); ok {
			if n, err := strconv.Atoi(v); err != nil || n < 0 {
				return &registry.FieldError{Type: p.Type(), Field: registry.OptionPrefix + k, Reason: "must be a whole number"}
			}
		}
	}
	u, err := URL(p)
	if err != nil {
		return err
	}
	_, err = parse(p, u)
	return err
}

// URL returns the oracle:// URL go-ora is given for p. It holds the
// password: never print it.
func URL(p registry.Params) (*url.URL, error) {
	q := url.Values{}
	q.Set("TIMEOUT", "30")
	if sid := p.Get("sid"); sid != "" {
		q.Set("SID", sid)
	}
	for k, v := range p.Options() {
		if key, ok := options[k]; ok {
			q.Set(key, v)
		}
	}
	for _, k := range []string{"ssl", "ssl_verify"} {
		if _, ok := p.Option(k); ok {
			b, err := p.Bool(registry.OptionPrefix+k, false)
			if err != nil {
				return nil, err
			}
			q.Set(options[k], strconv.FormatBool(b))
		}
	}
	if p.Get("password") == "" {
		return nil, &registry.FieldError{Type: p.Type(), Field: "password", Reason: "is required (an empty password would mean operating-system authentication)"}
	}
	return &url.URL{
		Scheme:   "oracle",
		User:     url.UserPassword(p.Get("user_name"), p.Get("password")),
		Host:     net.JoinHostPort(p.Host(), strconv.Itoa(p.Port(1521))),
		Path:     "/" + p.Get("dbname"),
		RawQuery: q.Encode(),
	}, nil
}

// Config returns go-ora's parsed configuration of the connection string the
// connector is built with.
func Config(p registry.Params) (*configurations.ConnectionConfig, error) {
	u, err := URL(p)
	if err != nil {
		return nil, err
	}
	return parse(p, u)
}

// parse runs go-ora's parser on u. Its errors can quote the URL, password
// included, so they are replaced by a generic message.
func parse(p registry.Params, u *url.URL) (*configurations.ConnectionConfig, error) {
	cfg, err := configurations.ParseConfig(u.String())
	if err != nil {
		return nil, errors.New("oracle: go-ora refused the connection settings (host, port, dbname, sid or options)")
	}
	if cfg.UserID != p.Get("user_name") || cfg.Password != p.Get("password") {
		return nil, errors.New("oracle: go-ora did not read back the user name and password unchanged")
	}
	return cfg, nil
}
