package sqlite

import (
	"context"
	"database/sql/driver"
	"net/url"
	"path/filepath"

	msqlite "modernc.org/sqlite"

	"github.com/vapsql/vap/internal/sqliteuri"
	"github.com/vapsql/vap/registry"
)

// SQLite is the sqlite type.
var SQLite = &registry.Type{
	Name:      "sqlite",
	Aliases:   []string{"sqlite3"},
	Driver:    "modernc.org/sqlite",
	Required:  []string{"path"},
	Options:   []string{"journal_mode", "foreign_keys", "mode", "busy_timeout"},
	Bind:      registry.Question,
	PingQuery: "SELECT 1",
	Check:     check,
	Normalize: normalize,
	Packages:  []string{"modernc.org/sqlite", "github.com/mattn/go-sqlite3", "github.com/ncruces/go-sqlite3"},
	Dialect:   Dialect,
	Columns:   Columns,
	Load:      Load,
	Connector: func(ctx context.Context, p registry.Params) (driver.Connector, error) {
		return msqlite.NewConnector(DSN(p))
	},
}

func init() { registry.Register(SQLite) }

var journalModes = map[string]bool{"delete": true, "truncate": true, "persist": true, "memory": true, "wal": true, "off": true}

func check(p registry.Params) error {
	if v, ok := p.Option("journal_mode"); ok && !journalModes[v] {
		return &registry.FieldError{Type: p.Type(), Field: "options.journal_mode", Reason: "must be one of delete, truncate, persist, memory, wal, off"}
	}
	if v, ok := p.Option("mode"); ok && v != "ro" && v != "rw" && v != "rwc" {
		return &registry.FieldError{Type: p.Type(), Field: "options.mode", Reason: "must be ro, rw or rwc"}
	}
	if _, err := p.Bool(registry.OptionPrefix+"foreign_keys", false); err != nil {
		return err
	}
	if v, ok := p.Option("busy_timeout"); ok {
		for _, c := range v {
			if c < '0' || c > '9' {
				return &registry.FieldError{Type: p.Type(), Field: "options.busy_timeout", Reason: "must be a whole number of milliseconds"}
			}
		}
	}
	return nil
}

// normalize makes a relative path absolute (against the working directory
// of the process that stores it), so the connection names the same file
// from every directory it is opened in. ":memory:" is left alone.
func normalize(p registry.Params) (map[string]string, error) {
	path := p.Get("path")
	if path == sqliteuri.Memory || filepath.IsAbs(path) {
		return nil, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &registry.FieldError{Type: p.Type(), Field: "path", Reason: "is relative and the working directory is unknown: give an absolute path"}
	}
	return map[string]string{"path": abs}, nil
}

// DSN returns the modernc.org/sqlite data source name for p.
func DSN(p registry.Params) string {
	q := url.Values{}
	bt := "5000"
	if v, ok := p.Option("busy_timeout"); ok && v != "" {
		bt = v
	}
	q.Add("_pragma", "busy_timeout("+bt+")")
	if v, ok := p.Option("journal_mode"); ok {
		q.Add("_pragma", "journal_mode("+v+")")
	}
	if on, _ := p.Bool(registry.OptionPrefix+"foreign_keys", false); on {
		q.Add("_pragma", "foreign_keys(1)")
	}
	if v, ok := p.Option("mode"); ok {
		q.Set("mode", v)
	}
	return sqliteuri.Build(p.Get("path"), q)
}
