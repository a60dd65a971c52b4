package dbsqlpeer

import (
	"fmt"
	"net/http"
	"slices"
	"sort"

	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
	"github.com/vapsql/vap/peer/observe"
)

// What a workspace lets an administrator see and do outside the SQL
// sessions, which no SQL statement can: list the statements running now
// (Query History) and end every session (stopping the warehouse). The peer
// offers both as Go methods and at the workspace's REST paths, so a peer in
// another process (cmd/dbsqlpeer) can be observed too (Remote).
const (
	queryHistoryPath = "/api/2.0/sql/history/queries"
	warehouseStop    = "POST /api/2.0/sql/warehouses/{id}/stop"
)

// The peer is observable by the shared plumbing too (observe.Handler).
var _ observe.Observable = (*Peer)(nil)

// maxEndedSessions bounds how many ended sessions the peer remembers, to
// answer them as a warehouse does; older ones get the plain invalid-handle
// status.
const maxEndedSessions = 4096

// endedSessions remembers the sessions DropSessions ended, oldest first.
// Guarded by Peer.mu.
type endedSessions struct {
	set   map[string]struct{}
	order []string
}

func (e *endedSessions) add(guid string) {
	if e.set == nil {
		e.set = make(map[string]struct{})
	}
	if _, ok := e.set[guid]; ok {
		return
	}
	if len(e.order) >= maxEndedSessions {
		delete(e.set, e.order[0])
		e.order = slices.Delete(e.order, 0, 1)
	}
	e.set[guid] = struct{}{}
	e.order = append(e.order, guid)
}

// sessionEndedError answers a request on a session the warehouse ended. A
// Databricks SQL warehouse answers it at the HTTP level, 400 with the reason
// "Invalid SessionHandle: Session [id] is closed." in the
// X-Databricks-Reason-Phrase header; databricks-sql-go puts the reason in
// its error and, seeing "Invalid SessionHandle", marks the connection bad
// (driver.ErrBadConn), so database/sql retries on a new session.
type sessionEndedError struct{ id string }

func (e *sessionEndedError) Error() string {
	return fmt.Sprintf("Invalid SessionHandle: Session [%s] is closed.", e.id)
}

func (e *sessionEndedError) write(w http.ResponseWriter) {
	w.Header().Set("X-Databricks-Error-Or-Redirect-Message", "BAD_REQUEST")
	w.Header().Set("X-Databricks-Reason-Phrase", e.Error())
	http.Error(w, "BAD_REQUEST: "+e.Error(), http.StatusBadRequest)
}

// sessionEnded returns the error for h when DropSessions ended it, else nil.
func (p *Peer) sessionEnded(h *tcli.TSessionHandle) error {
	if h == nil || h.SessionId == nil {
		return nil
	}
	p.mu.Lock()
	_, ended := p.ended.set[string(h.SessionId.GUID)]
	p.mu.Unlock()
	if !ended {
		return nil
	}
	return &sessionEndedError{id: formatGUID(h.SessionId.GUID)}
}

func formatGUID(b []byte) string {
	if len(b) != 16 {
		return fmt.Sprintf("%x", b)
	}
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// RunningStatements returns the text of every statement running now, in
// any session, oldest first: what a workspace's Query History shows as
// RUNNING.
func (p *Peer) RunningStatements() []string {
	p.mu.Lock()
	ops := make([]*operation, 0, len(p.ops))
	for _, op := range p.ops {
		if !op.finished() {
			ops = append(ops, op)
		}
	}
	p.mu.Unlock()
	sort.Slice(ops, func(i, j int) bool { return ops[i].started.Before(ops[j].started) })
	out := make([]string, len(ops))
	for i, op := range ops {
		out[i] = op.text
	}
	return out
}

// DropSessions ends every open session, stopping its running statements,
// as a warehouse that stops (or expires its sessions) does, and returns how
// many it ended. The peer keeps serving: new sessions open as on a warehouse
// that starts again on the next connection. A later request on an ended
// session gets the warehouse's answer (HTTP 400, "Invalid SessionHandle:
// Session [id] is closed."), which databricks-sql-go turns into
// driver.ErrBadConn.
func (p *Peer) DropSessions() int {
	p.mu.Lock()
	var ops []*operation
	n := len(p.sessions)
	for key, s := range p.sessions {
		delete(p.sessions, key)
		p.ended.add(key)
		for _, op := range s.ops {
			ops = append(ops, op)
		}
	}
	p.mu.Unlock()
	for _, op := range ops {
		p.removeOperation(op)
	}
	return n
}

// registerAdmin serves the workspace REST calls behind RunningStatements
// and DropSessions.
func (p *Peer) registerAdmin(mux *http.ServeMux) {
	mux.HandleFunc(queryHistoryPath, p.serveQueryHistory)
	mux.HandleFunc(warehouseStop, p.serveWarehouseStop)
}

// queryInfo is one entry of the Query History list, with the fields the
// peer fills.
type queryInfo struct {
	QueryID   string `json:"query_id"`
	Status    string `json:"status"`
	QueryText string `json:"query_text"`
	StartMs   int64  `json:"query_start_time_ms"`
}

// queryHistory is the Query History list answer.
type queryHistory struct {
	Res         []queryInfo `json:"res"`
	HasNextPage bool        `json:"has_next_page"`
}

// stopAnswer is the warehouse stop answer: {} on a workspace; the peer adds
// how many sessions it ended.
type stopAnswer struct {
	SessionsEnded int `json:"sessions_ended"`
}

// serveQueryHistory answers GET /api/2.0/sql/history/queries with the
// statements running now. The peer keeps no history: a filter_by.statuses
// other than RUNNING is refused.
func (p *Peer) serveQueryHistory(w http.ResponseWriter, r *http.Request) {
	if !p.adminRequest(w, r, http.MethodGet) {
		return
	}
	for _, s := range r.URL.Query()["filter_by.statuses"] {
		if s != "RUNNING" {
			observe.WriteError(w, http.StatusBadRequest, "INVALID_PARAMETER_VALUE",
				"the peer keeps no query history: only filter_by.statuses=RUNNING is supported")
			return
		}
	}
	p.mu.Lock()
	var res []queryInfo
	for _, op := range p.ops {
		if !op.finished() {
			res = append(res, queryInfo{QueryID: formatGUID(op.handle.OperationId.GUID), Status: "RUNNING",
				QueryText: op.text, StartMs: op.started.UnixMilli()})
		}
	}
	p.mu.Unlock()
	sort.Slice(res, func(i, j int) bool { return res[i].StartMs < res[j].StartMs })
	observe.WriteJSON(w, queryHistory{Res: res})
}

// serveWarehouseStop answers POST /api/2.0/sql/warehouses/{id}/stop by
// ending every session (DropSessions), whatever the id.
func (p *Peer) serveWarehouseStop(w http.ResponseWriter, r *http.Request) {
	if !p.adminRequest(w, r, http.MethodPost) {
		return
	}
	observe.WriteJSON(w, stopAnswer{SessionsEnded: p.DropSessions()})
}

// adminRequest checks the method and the bearer token, answering the
// request when they fail.
func (p *Peer) adminRequest(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method != method {
		w.Header().Set("Allow", method)
		observe.WriteError(w, http.StatusMethodNotAllowed, "BAD_REQUEST", "method not allowed")
		return false
	}
	if !p.authorized(r) {
		p.unauthorized.Add(1)
		w.Header().Set("WWW-Authenticate", `Bearer realm="dbsqlpeer"`)
		observe.WriteError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "a valid bearer token is required")
		return false
	}
	return true
}
