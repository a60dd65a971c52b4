package mysql

import (
	"context"
	"database/sql/driver"
	"net"
	"strconv"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/vapsql/vap/registry"
)

// MySQL is the mysql type.
var MySQL = &registry.Type{
	Name:                  "mysql",
	Aliases:               []string{"mariadb"},
	Driver:                "github.com/go-sql-driver/mysql",
	DefaultPort:           3306,
	Required:              []string{"host", "user_name"},
	Optional:              append([]string{"password", "port", "dbname"}, awsFields...),
	Secrets:               []string{"password"},
	Options:               []string{"tls", "charset", "collation", "timeout", "loc"},
	Bind:                  registry.Question,
	PingQuery:             "SELECT 1",
	Check:                 check,
	Packages:              []string{"github.com/go-sql-driver/mysql"},
	CredentialAuths:       []string{AuthAWSIAM},
	Dialect:               Dialect,
	Columns:               Columns,
	DescribeColumns:       DescribeColumns,
	DescribeDriverColumns: DescribeDriverColumns,
	Cancel:                Cancel,
	Load:                  Load,
	AuthError:             authError,
	Connector: func(ctx context.Context, p registry.Params) (driver.Connector, error) {
		cfg, err := Config(p)
		if err != nil {
			return nil, err
		}
		real, err := gomysql.NewConnector(cfg)
		if err != nil {
			return nil, err
		}
		return &connector{real: real, timeout: cfg.Timeout}, nil
	},
}

func init() { registry.Register(MySQL) }

var tlsModes = map[string]bool{"true": true, "false": true, "skip-verify": true, "preferred": true}

func check(p registry.Params) error {
	if err := checkAuth(p); err != nil {
		return err
	}
	if v, ok := p.Option("tls"); ok && !tlsModes[v] {
		return &registry.FieldError{Type: p.Type(), Field: "options.tls", Reason: "must be one of true, false, skip-verify, preferred"}
	}
	if v, ok := p.Option("timeout"); ok {
		if _, err := time.ParseDuration(v); err != nil {
			return &registry.FieldError{Type: p.Type(), Field: "options.timeout", Reason: "must be a duration such as 10s"}
		}
	}
	if v, ok := p.Option("loc"); ok {
		if _, err := time.LoadLocation(v); err != nil {
			return &registry.FieldError{Type: p.Type(), Field: "options.loc", Reason: "must be a time zone name such as UTC or Europe/Paris"}
		}
	}
	return nil
}

// Config returns the go-sql-driver/mysql configuration for p.
func Config(p registry.Params) (*gomysql.Config, error) {
	cfg := gomysql.NewConfig()
	cfg.User = p.Get("user_name")
	cfg.Passwd = p.Get("password")
	cfg.Net = "tcp"
	cfg.Addr = net.JoinHostPort(p.Host(), strconv.Itoa(p.Port(3306)))
	cfg.DBName = p.Get("dbname")
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.Timeout = 10 * time.Second
	cfg.TLSConfig = "preferred"
	if v, ok := p.Option("tls"); ok {
		cfg.TLSConfig = v
	}
	// The driver's own logger writes to stderr; errors reach the caller.
	cfg.Logger = discard{}
	if v, ok := p.Option("collation"); ok {
		cfg.Collation = v
	}
	if v, ok := p.Option("charset"); ok {
		// go-sql-driver/mysql ≥ 1.8 sends SET NAMES for its Charset option;
		// "charset" as a session parameter is an unknown system variable.
		if err := cfg.Apply(gomysql.Charset(v, cfg.Collation)); err != nil {
			return nil, err
		}
	}
	if v, ok := p.Option("timeout"); ok {
		cfg.Timeout, _ = time.ParseDuration(v)
	}
	if v, ok := p.Option("loc"); ok {
		cfg.Loc, _ = time.LoadLocation(v)
	}
	if p.Get("auth_type") == AuthAWSIAM {
		// RDS checks the token with the mysql_clear_password plugin. Checked
		// when stored; checked again here so that the token is never sent
		// where TLS may be skipped.
		if err := requireTLS(p); err != nil {
			return nil, err
		}
		cfg.AllowCleartextPasswords = true
	}
	return cfg, nil
}
