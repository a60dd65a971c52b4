package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	goora "github.com/sijms/go-ora/v2"

	"github.com/vapsql/vap/internal/peercmd/peercmdtest"
	"github.com/vapsql/vap/peer/orapeer"
)

// TestServesUntilStdinCloses runs the command with -until-stdin-eof, reads
// the announced endpoint, queries the peer through go-ora and closes stdin:
// the command must return 0.
func TestServesUntilStdinCloses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := peercmdtest.Start(t, ctx, run, []string{"-user", "cmduser", "-service", "CMDSVC", "-until-stdin-eof"},
		peercmdtest.Env(map[string]string{"ORAPEER_PASSWORD": "cmd-Secret1"}))
	line := cmd.Line
	if strings.Contains(line, "cmd-Secret1") {
		t.Fatalf("endpoint line holds the password: %s", line)
	}
	var ep orapeer.Endpoint
	if err := json.Unmarshal([]byte(line), &ep); err != nil || ep.Port == 0 || ep.Service != "CMDSVC" {
		t.Fatalf("endpoint %q: %+v, %v", line, ep, err)
	}
	u := url.URL{Scheme: "oracle", User: url.UserPassword("cmduser", "cmd-Secret1"), Host: ep.Address, Path: "/" + ep.Service}
	db := sql.OpenDB(goora.NewConnector(u.String()))
	var n int
	if err := db.QueryRowContext(ctx, "SELECT 40 + 2 FROM DUAL").Scan(&n); err != nil || n != 42 {
		t.Fatalf("query = %d, %v", n, err)
	}
	db.Close()
	cmd.Stop(t)
}

func TestRefusesMissingPassword(t *testing.T) {
	peercmdtest.BadArguments(t, run, []peercmdtest.BadArgument{
		{Name: "no password", Args: []string{"-user", "u"}, Want: "password", Code: 2},
		{Name: "stray argument", Args: []string{"-user", "u", "-password", "x", "extra"}, Want: `unexpected argument "extra"`, Code: 2},
	})
}
