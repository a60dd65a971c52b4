package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/internal/peercmd/peercmdtest"
	"github.com/vapsql/vap/peer/observe"
	"github.com/vapsql/vap/peer/tdspeer"
)

// TestServe runs the command in process: it announces where it listens,
// serves go-mssqldb with TLS verified against the announced CA, is
// observed through Remote, and stops when stdin closes.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := peercmdtest.Start(t, ctx, run, []string{"-user", "tester", "-database", "shop", "-until-stdin-eof"},
		peercmdtest.Env(map[string]string{"TDSPEER_PASSWORD": "Pw-from-env-1"}))
	line := cmd.Line
	var l tdspeer.Listening
	if err := json.Unmarshal([]byte(line), &l); err != nil {
		t.Fatalf("address line %q: %v", line, err)
	}
	if l.Port == 0 || l.Database != "shop" || l.CAFile == "" || l.AdminURL == "" {
		t.Fatalf("address %+v", l)
	}
	if strings.Contains(line, "Pw-from-env-1") {
		t.Fatalf("the address line holds the password: %s", line)
	}
	q := url.Values{"database": {"shop"}, "encrypt": {"true"}, "certificate": {l.CAFile}}
	u := url.URL{Scheme: "sqlserver", User: url.UserPassword("tester", "Pw-from-env-1"),
		Host: l.Host + ":" + strconv.Itoa(l.Port), RawQuery: q.Encode()}
	c, err := mssql.NewConnector(u.String())
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := conn.ExecContext(ctx, "WAITFOR DELAY '00:00:30' -- marker-42")
		errc <- err
	}()
	remote := &observe.Remote{URL: l.AdminURL, Token: "Pw-from-env-1"}
	seen := false
	for i := 0; i < 500 && !seen; i++ {
		stmts, err := remote.Running(ctx)
		if err != nil {
			t.Fatalf("Running: %v", err)
		}
		for _, s := range stmts {
			seen = seen || strings.Contains(s, "marker-42")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !seen {
		t.Fatal("Remote.Running never saw the WAITFOR")
	}
	if n, err := remote.DropSessions(ctx); err != nil || n != 1 {
		t.Fatalf("DropSessions: %d, %v", n, err)
	}
	if err := <-errc; err == nil {
		t.Fatal("the dropped session's WAITFOR succeeded")
	}
	conn.Close()
	bad := &observe.Remote{URL: l.AdminURL, Token: "wrong-pw-9"}
	if _, err := bad.Running(ctx); err == nil || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "wrong-pw-9") {
		t.Errorf("Remote with a wrong password: %v", err)
	}
	cmd.Stop(t)
}

func TestBadArguments(t *testing.T) {
	peercmdtest.BadArguments(t, run, []peercmdtest.BadArgument{
		{Name: "no password", Args: nil, Want: "needs a User and a Password"},
		{Name: "stray argument", Args: []string{"-password", "x", "extra"}, Want: `unexpected argument "extra"`},
		{Name: "bad max rows", Args: []string{"-password", "x", "-max-result-rows", "0"}, Want: "must be positive"},
		{Name: "unknown flag", Args: []string{"-nope"}, Want: "flag provided but not defined"},
	})
}
