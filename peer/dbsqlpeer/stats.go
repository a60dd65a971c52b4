package dbsqlpeer

// method numbers the TCLIService calls the peer serves.
type method int

const (
	mOpenSession method = iota
	mCloseSession
	mExecuteStatement
	mGetOperationStatus
	mCancelOperation
	mCloseOperation
	mGetResultSetMetadata
	mFetchResults
	numMethods
)

// Stats counts what the peer has served since Start.
type Stats struct {
	// Calls by TCLIService method name ("ExecuteStatement", …), authorized
	// calls only.
	Calls map[string]int64
	// Unauthorized counts Thrift requests refused with 401.
	Unauthorized int64
	// TokensIssued counts tokens the token endpoint issued.
	TokensIssued int64
	// FeatureFlagFetches counts the driver's feature-flag requests.
	FeatureFlagFetches int64
	// Canceled counts statements stopped by cancellation while running.
	Canceled int64
	// Abandoned counts running statements the peer canceled and closed
	// because no call named them for Config.AbandonedStatementTimeout.
	Abandoned int64
	// Pages counts result pages sent (direct results and FetchResults) by
	// form: "columns" (COLUMN_BASED_SET), "arrow" (ARROW_BASED_SET) and
	// "cloudfetch" (URL_BASED_SET).
	Pages map[string]int64
	// CloudFetchDownloads counts CloudFetch files served; ExpiredLinks
	// counts downloads refused because the link had expired.
	CloudFetchDownloads int64
	ExpiredLinks        int64
	// Running is the number of statements executing now.
	Running int64
	// OpenSessions and OpenOperations are the sessions and statements not
	// yet closed.
	OpenSessions   int
	OpenOperations int
}

var methodNames = [numMethods]string{
	"OpenSession", "CloseSession", "ExecuteStatement", "GetOperationStatus",
	"CancelOperation", "CloseOperation", "GetResultSetMetadata", "FetchResults",
}

// Stats returns a snapshot of the peer's counters.
func (p *Peer) Stats() Stats {
	s := Stats{
		Calls:               make(map[string]int64, numMethods),
		Unauthorized:        p.unauthorized.Load(),
		TokensIssued:        p.issued.Load(),
		FeatureFlagFetches:  p.flagFetches.Load(),
		Canceled:            p.canceled.Load(),
		Abandoned:           p.abandoned.Load(),
		CloudFetchDownloads: p.downloads.Load(),
		ExpiredLinks:        p.expiredLinks.Load(),
		Running:             p.running.Load(),
	}
	s.Pages = make(map[string]int64, numForms)
	for f := range numForms {
		s.Pages[formNames[f]] = p.pages[f].Load()
	}
	for m := range numMethods {
		s.Calls[methodNames[m]] = p.calls[m].Load()
	}
	p.mu.Lock()
	s.OpenSessions, s.OpenOperations = len(p.sessions), len(p.ops)
	p.mu.Unlock()
	return s
}
