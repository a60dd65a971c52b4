package observe_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/vapsql/vap/peer/observe"
)

// examplePeer has one statement running in two sessions.
type examplePeer struct{ sessions int }

func (p *examplePeer) RunningStatements() []string {
	if p.sessions == 0 {
		return nil
	}
	return []string{"SELECT count(*) FROM big"}
}

func (p *examplePeer) DropSessions() int { n := p.sessions; p.sessions = 0; return n }

func Example() {
	p := &examplePeer{sessions: 2}
	srv := httptest.NewServer(&observe.Handler{Peer: p, Authorized: observe.Token("admin-token")})
	defer srv.Close()

	r := &observe.Remote{URL: srv.URL, Token: "admin-token"}
	ctx := context.Background()
	running, _ := r.Running(ctx)
	fmt.Println(running)
	n, _ := r.DropSessions(ctx)
	fmt.Println(n, "sessions ended")
	running, _ = r.Running(ctx)
	fmt.Println(len(running), "running")
	// Output:
	// [SELECT count(*) FROM big]
	// 2 sessions ended
	// 0 running
}
