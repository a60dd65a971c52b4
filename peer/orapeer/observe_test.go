package orapeer

import (
	"database/sql"
	"net/url"
	"strings"
	"testing"
	"time"

	goora "github.com/sijms/go-ora/v2"

	"github.com/vapsql/vap/peer/observe"
	"github.com/vapsql/vap/peer/peerproc"
)

// TestObserveOutOfProcess serves the peer from a child process (peerproc)
// and observes it over its admin endpoint (observe.Remote, the
// conformance Observer): a running sleep is listed, and dropping sessions
// ends it.
func TestObserveOutOfProcess(t *testing.T) {
	const admin = "admin-token-1"
	ep := peerproc.StartAs[Endpoint](t, envChild, envChildPW+"="+testPassword, envChildAdmin+"="+admin)
	if ep.AdminURL == "" || ep.Port == 0 {
		t.Fatalf("endpoint %+v", ep)
	}
	u := url.URL{Scheme: "oracle", User: url.UserPassword(testUser, testPassword), Host: ep.Address, Path: "/" + ep.Service}
	db := sql.OpenDB(goora.NewConnector(u.String()))
	defer db.Close()
	ctx := testCtx(t)
	if err := db.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	remote := &observe.Remote{URL: ep.AdminURL, Token: admin}
	errc := make(chan error, 1)
	go func() {
		_, err := db.ExecContext(ctx, `BEGIN DBMS_SESSION.SLEEP(60); END; -- marker-77`)
		errc <- err
	}()
	var running []string
	for len(running) == 0 {
		var err error
		if running, err = remote.Running(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(strings.Join(running, "\n"), "marker-77") {
		t.Fatalf("running %q", running)
	}
	n, err := remote.DropSessions(ctx)
	if err != nil || n < 1 {
		t.Fatalf("DropSessions = %d, %v", n, err)
	}
	if err := <-errc; err == nil {
		t.Fatal("the sleep survived DropSessions")
	}
	if _, err := (&observe.Remote{URL: ep.AdminURL, Token: "tok-Wrong-987"}).Running(ctx); err == nil || strings.Contains(err.Error(), "tok-Wrong-987") {
		t.Fatalf("wrong admin token: %v", err)
	}
}

func TestAdminOffByDefault(t *testing.T) {
	p := startPeer(t)
	if p.AdminURL() != "" || p.Remote() != nil {
		t.Fatalf("admin endpoint without a token: %q", p.AdminURL())
	}
}
