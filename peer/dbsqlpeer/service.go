package dbsqlpeer

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
)

// serverProtocol is the protocol version the peer offers: SPARK V8, the
// first with parameterized queries (below it the driver drops parameters).
const serverProtocol = tcli.TProtocolVersion_SPARK_CLI_SERVICE_PROTOCOL_V8

// service implements the generated tcli.TCLIService for a Peer. Failures a
// client can cause are answered in TStatus, never as Thrift exceptions.
type service struct{ p *Peer }

var _ tcli.TCLIService = (*service)(nil)

// session is an open OpenSession with its open operations.
type session struct {
	handle *tcli.TSessionHandle
	ops    map[string]*operation
}

func okStatus() *tcli.TStatus { return &tcli.TStatus{StatusCode: tcli.TStatusCode_SUCCESS_STATUS} }

func errorStatus(sqlState, msg string) *tcli.TStatus {
	return &tcli.TStatus{StatusCode: tcli.TStatusCode_ERROR_STATUS, SqlState: &sqlState, ErrorMessage: &msg, DisplayMessage: &msg}
}

// invalidHandle is the in-band status for an unknown, closed or forged
// handle, in the words HiveServer2 uses. databricks-sql-go v1.14.0 reports
// it as a plain error, not driver.ErrBadConn; only the HTTP 400 answer the
// peer gives for a session it ended itself (DropSessions) makes the driver
// discard the connection.
func invalidHandle(kind string) *tcli.TStatus {
	return errorStatus("HY000", fmt.Sprintf("Invalid %sHandle: unknown or closed", kind))
}

func newHandleID() *tcli.THandleIdentifier {
	id := &tcli.THandleIdentifier{GUID: make([]byte, 16), Secret: make([]byte, 16)}
	_, _ = rand.Read(id.GUID)
	_, _ = rand.Read(id.Secret)
	return id
}

func sameHandle(a, b *tcli.THandleIdentifier) bool {
	return a != nil && b != nil && subtle.ConstantTimeCompare(a.Secret, b.Secret) == 1
}

// lookupSession returns the open session h names (guid and secret), or nil.
func (p *Peer) lookupSession(h *tcli.TSessionHandle) *session {
	if h == nil || h.SessionId == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.sessions[string(h.SessionId.GUID)]
	if s == nil || !sameHandle(s.handle.SessionId, h.SessionId) {
		return nil
	}
	return s
}

// lookupOperation returns the open operation h names, or nil.
func (p *Peer) lookupOperation(h *tcli.TOperationHandle) *operation {
	if h == nil || h.OperationId == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	op := p.ops[string(h.OperationId.GUID)]
	if op == nil || !sameHandle(op.handle.OperationId, h.OperationId) {
		return nil
	}
	op.touch()
	return op
}

// removeOperation forgets op and stops it if it still runs.
func (p *Peer) removeOperation(op *operation) {
	key := string(op.handle.OperationId.GUID)
	p.mu.Lock()
	delete(p.ops, key)
	delete(op.session.ops, key)
	p.mu.Unlock()
	p.stopOperation(op)
}

// stopOperation cancels op and waits (bounded) until its statement stopped.
func (p *Peer) stopOperation(op *operation) {
	op.cancel()
	t := time.NewTimer(stopWait)
	defer t.Stop()
	select {
	case <-op.done:
	case <-t.C:
	}
}

func (s *service) OpenSession(ctx context.Context, req *tcli.TOpenSessionReq) (*tcli.TOpenSessionResp, error) {
	p := s.p
	p.calls[mOpenSession].Add(1)
	version := serverProtocol
	if req.IsSetClientProtocolI64() {
		if v := tcli.TProtocolVersion(req.GetClientProtocolI64()); v < version {
			version = v
		}
	} else if req.IsSetClientProtocol() && req.GetClientProtocol() < version {
		version = req.GetClientProtocol()
	}
	resp := &tcli.TOpenSessionResp{Status: okStatus(), ServerProtocolVersion: version}
	sess := &session{handle: &tcli.TSessionHandle{SessionId: newHandleID()}, ops: make(map[string]*operation)}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.closed:
		resp.Status = errorStatus("08006", "The warehouse is shutting down.")
		return resp, nil
	case len(p.sessions) >= p.cfg.MaxSessions:
		resp.Status = errorStatus("54000", fmt.Sprintf("Too many open sessions (the peer's MaxSessions is %d).", p.cfg.MaxSessions))
		return resp, nil
	}
	p.sessions[string(sess.handle.SessionId.GUID)] = sess
	resp.SessionHandle = sess.handle
	catalog, schema := tcli.TIdentifier("hive_metastore"), tcli.TIdentifier("default")
	if ns := req.GetInitialNamespace(); ns != nil {
		if ns.IsSetCatalogName() {
			catalog = ns.GetCatalogName()
		}
		if ns.IsSetSchemaName() {
			schema = ns.GetSchemaName()
		}
	}
	resp.InitialNamespace = &tcli.TNamespace{CatalogName: &catalog, SchemaName: &schema}
	multi := true
	resp.CanUseMultipleCatalogs = &multi
	return resp, nil
}

func (s *service) CloseSession(ctx context.Context, req *tcli.TCloseSessionReq) (*tcli.TCloseSessionResp, error) {
	p := s.p
	p.calls[mCloseSession].Add(1)
	sess := p.lookupSession(req.GetSessionHandle())
	if sess == nil {
		if err := p.sessionEnded(req.GetSessionHandle()); err != nil {
			return nil, err
		}
		return &tcli.TCloseSessionResp{Status: invalidHandle("Session")}, nil
	}
	p.mu.Lock()
	delete(p.sessions, string(sess.handle.SessionId.GUID))
	ops := make([]*operation, 0, len(sess.ops))
	for _, op := range sess.ops {
		ops = append(ops, op)
	}
	p.mu.Unlock()
	for _, op := range ops {
		p.removeOperation(op)
	}
	return &tcli.TCloseSessionResp{Status: okStatus()}, nil
}

func (s *service) ExecuteStatement(ctx context.Context, req *tcli.TExecuteStatementReq) (*tcli.TExecuteStatementResp, error) {
	p := s.p
	p.calls[mExecuteStatement].Add(1)
	sess := p.lookupSession(req.GetSessionHandle())
	if sess == nil {
		if err := p.sessionEnded(req.GetSessionHandle()); err != nil {
			return nil, err
		}
		return &tcli.TExecuteStatementResp{Status: invalidHandle("Session")}, nil
	}
	op := &operation{
		handle: &tcli.TOperationHandle{
			OperationId:   newHandleID(),
			OperationType: tcli.TOperationType_EXECUTE_STATEMENT,
			HasResultSet:  true,
		},
		session: sess,
		done:    make(chan struct{}),
		started: time.Now(),
		text:    req.GetStatement(),
		want:    wantedResults(req),
	}
	opCtx, cancel := context.WithCancel(p.base)
	if secs := req.GetQueryTimeout(); secs > 0 {
		var cancelTimeout context.CancelFunc
		opCtx, cancelTimeout = context.WithTimeoutCause(opCtx, time.Duration(secs)*time.Second, errStatementTimeout)
		cancelAll := cancel
		cancel = func() { cancelTimeout(); cancelAll() }
	}
	op.cancel = cancel
	args, bindErr := bindParameters(req.GetParameters())

	p.mu.Lock()
	switch {
	case p.closed:
		p.mu.Unlock()
		cancel()
		return &tcli.TExecuteStatementResp{Status: errorStatus("08006", "The warehouse is shutting down.")}, nil
	case p.lookupSessionLocked(sess) == nil:
		p.mu.Unlock()
		cancel()
		if err := p.sessionEnded(req.GetSessionHandle()); err != nil {
			return nil, err
		}
		return &tcli.TExecuteStatementResp{Status: invalidHandle("Session")}, nil
	case len(p.ops) >= p.cfg.MaxOperations:
		p.mu.Unlock()
		cancel()
		return &tcli.TExecuteStatementResp{Status: errorStatus("54000",
			fmt.Sprintf("Too many open statements (the peer's MaxOperations is %d); close finished ones.", p.cfg.MaxOperations))}, nil
	}
	key := string(op.handle.OperationId.GUID)
	p.ops[key] = op
	sess.ops[key] = op
	if bindErr == nil {
		p.wg.Add(1)
	}
	p.mu.Unlock()

	if bindErr != nil {
		op.state = tcli.TOperationState_ERROR_STATE
		op.err = &queryError{class: "INVALID_PARAMETER_VALUE", sqlState: "22023", text: bindErr.Error()}
		op.completed = time.Now()
		close(op.done)
	} else {
		go p.run(opCtx, op, prepareStatement(req.GetStatement(), callerOf(ctx)), args, req.GetResultRowLimit())
	}

	if !p.awaitDirect(ctx, op, req.GetRunAsync()) {
		p.removeOperation(op) // nobody can learn the handle now
		return nil, thrift.ErrAbandonRequest
	}
	op.touch()
	resp := &tcli.TExecuteStatementResp{Status: okStatus(), OperationHandle: op.handle}
	if dr := req.GetGetDirectResults(); dr != nil {
		resp.DirectResults = p.directResults(op, dr.GetMaxRows())
	}
	return resp, nil
}

func (p *Peer) lookupSessionLocked(sess *session) *session {
	if p.sessions[string(sess.handle.SessionId.GUID)] != sess {
		return nil
	}
	return sess
}

// awaitDirect waits until op finished, DirectResultsWait passed (async
// statements only), or the request was dropped (false).
func (p *Peer) awaitDirect(ctx context.Context, op *operation, async bool) bool {
	var timeout <-chan time.Time
	if async {
		if p.cfg.DirectResultsWait < 0 {
			if op.finished() {
				return true
			}
			return ctx.Err() == nil
		}
		t := time.NewTimer(p.cfg.DirectResultsWait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-op.done:
		return true
	case <-timeout:
		return true
	case <-ctx.Done():
		return false
	}
}

// directResults is the Databricks direct-results answer: the status and,
// once the statement finished, the metadata and first page; when that page
// holds the whole result (or the statement failed) the operation is closed
// on the server and the answer says so.
func (p *Peer) directResults(op *operation, maxRows int64) *tcli.TSparkDirectResults {
	dr := &tcli.TSparkDirectResults{OperationStatus: p.status(op)}
	if !op.finished() {
		return dr
	}
	if op.state == tcli.TOperationState_FINISHED_STATE {
		dr.ResultSetMetadata = p.metadata(op)
		dr.ResultSet = p.fetch(op, maxRows, false)
		if dr.ResultSet.GetHasMoreRows() {
			return dr
		}
	}
	dr.CloseOperation = &tcli.TCloseOperationResp{Status: okStatus()}
	p.removeOperation(op)
	return dr
}

// status is op's TGetOperationStatusResp.
func (p *Peer) status(op *operation) *tcli.TGetOperationStatusResp {
	started := op.started.UnixMilli()
	resp := &tcli.TGetOperationStatusResp{Status: okStatus(), OperationStarted: &started}
	if !op.finished() {
		state := tcli.TOperationState_RUNNING_STATE
		resp.OperationState = &state
		return resp
	}
	state, completed := op.state, op.completed.UnixMilli()
	resp.OperationState, resp.OperationCompleted = &state, &completed
	hasResultSet := len(op.cols) > 0
	resp.HasResultSet = &hasResultSet
	if op.err != nil {
		msg := op.err.Error()
		resp.SqlState, resp.ErrorMessage, resp.DisplayMessage = &op.err.sqlState, &msg, &msg
	} else {
		modified := op.modified
		resp.NumModifiedRows = &modified
	}
	return resp
}

// failedStatus is the status for a call that needs a finished result.
func failedStatus(op *operation) *tcli.TStatus {
	if !op.finished() {
		return errorStatus("HY010", "The statement is still running.")
	}
	if op.err != nil {
		return errorStatus(op.err.sqlState, op.err.Error())
	}
	return nil
}

func (s *service) GetOperationStatus(ctx context.Context, req *tcli.TGetOperationStatusReq) (*tcli.TGetOperationStatusResp, error) {
	p := s.p
	p.calls[mGetOperationStatus].Add(1)
	op := p.lookupOperation(req.GetOperationHandle())
	if op == nil {
		return &tcli.TGetOperationStatusResp{Status: invalidHandle("Operation")}, nil
	}
	return p.status(op), nil
}

func (s *service) CancelOperation(ctx context.Context, req *tcli.TCancelOperationReq) (*tcli.TCancelOperationResp, error) {
	p := s.p
	p.calls[mCancelOperation].Add(1)
	op := p.lookupOperation(req.GetOperationHandle())
	if op == nil {
		return &tcli.TCancelOperationResp{Status: invalidHandle("Operation")}, nil
	}
	p.stopOperation(op)
	return &tcli.TCancelOperationResp{Status: okStatus()}, nil
}

func (s *service) CloseOperation(ctx context.Context, req *tcli.TCloseOperationReq) (*tcli.TCloseOperationResp, error) {
	p := s.p
	p.calls[mCloseOperation].Add(1)
	op := p.lookupOperation(req.GetOperationHandle())
	if op == nil {
		return &tcli.TCloseOperationResp{Status: invalidHandle("Operation")}, nil
	}
	p.removeOperation(op)
	return &tcli.TCloseOperationResp{Status: okStatus()}, nil
}

func (s *service) GetResultSetMetadata(ctx context.Context, req *tcli.TGetResultSetMetadataReq) (*tcli.TGetResultSetMetadataResp, error) {
	p := s.p
	p.calls[mGetResultSetMetadata].Add(1)
	op := p.lookupOperation(req.GetOperationHandle())
	if op == nil {
		return &tcli.TGetResultSetMetadataResp{Status: invalidHandle("Operation")}, nil
	}
	if st := failedStatus(op); st != nil {
		return &tcli.TGetResultSetMetadataResp{Status: st}, nil
	}
	return p.metadata(op), nil
}

func (s *service) FetchResults(ctx context.Context, req *tcli.TFetchResultsReq) (*tcli.TFetchResultsResp, error) {
	p := s.p
	p.calls[mFetchResults].Add(1)
	op := p.lookupOperation(req.GetOperationHandle())
	if op == nil {
		return &tcli.TFetchResultsResp{Status: invalidHandle("Operation")}, nil
	}
	if st := failedStatus(op); st != nil {
		return &tcli.TFetchResultsResp{Status: st}, nil
	}
	if req.GetFetchType() != 0 {
		return &tcli.TFetchResultsResp{Status: errorStatus("HYC00", "Fetching logs (fetchType 1) is not supported.")}, nil
	}
	p.mu.Lock()
	switch {
	case req.IsSetStartRowOffset():
		op.cursor = min(max(req.GetStartRowOffset(), 0), int64(len(op.rows)))
	case req.GetOrientation() == tcli.TFetchOrientation_FETCH_FIRST:
		op.cursor = 0
	case req.GetOrientation() != tcli.TFetchOrientation_FETCH_NEXT:
		p.mu.Unlock()
		return &tcli.TFetchResultsResp{Status: errorStatus("HYC00",
			fmt.Sprintf("Fetch orientation %s is not supported; use FETCH_NEXT or FETCH_FIRST.", req.GetOrientation()))}, nil
	}
	p.mu.Unlock()
	return p.fetch(op, req.GetMaxRows(), req.GetIncludeResultSetMetadata()), nil
}
