package conformance_test

import (
	"net"
	"net/url"

	"github.com/go-sql-driver/mysql"
)

type hostPort struct{ host, port string }

// pgURL returns the host and port of a postgres:// URL (default port 5432).
func pgURL(raw string) (hostPort, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return hostPort{}, err
	}
	p := u.Port()
	if p == "" {
		p = "5432"
	}
	return hostPort{u.Hostname(), p}, nil
}

// mysqlAddr returns the host and port of a go-sql-driver/mysql DSN.
func mysqlAddr(dsn string) (string, string, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "", "", err
	}
	h, p, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return cfg.Addr, "3306", nil
	}
	return h, p, nil
}
