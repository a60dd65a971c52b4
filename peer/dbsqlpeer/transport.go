package dbsqlpeer

import (
	"fmt"
	"net/http"
	"time"
)

// featureFlagsPath is where databricks-sql-go reads whether to send
// telemetry; the peer always answers off.
const (
	featureFlagsPath = "/api/2.0/connector-service/feature-flags/"
	telemetryFlag    = "databricks.partnerplatform.clientConfigsFeatureFlags.enableTelemetryForGoDriver"
)

func (p *Peer) serveFeatureFlags(w http.ResponseWriter, r *http.Request) {
	p.flagFetches.Add(1)
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"flags":[{"name":%q,"value":"false"}],"ttl_seconds":900}`, telemetryFlag)
}

// routeTransport sends requests for host localhost to the peer over plain
// HTTP and refuses all others.
type routeTransport struct {
	addr string
	base *http.Transport
}

func newRouteTransport(addr string) *routeTransport {
	return &routeTransport{addr: addr, base: &http.Transport{
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       30 * time.Second,
		ResponseHeaderTimeout: 0, // ExecuteStatement may wait for a statement
	}}
}

// RoundTrip implements http.RoundTripper.
func (t *routeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if h := req.URL.Hostname(); h != "localhost" && h != "127.0.0.1" {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("dbsqlpeer: transport refuses host %q: only localhost reaches the peer", h)
	}
	r := req.Clone(req.Context())
	r.URL.Scheme = "http"
	r.URL.Host = t.addr
	r.Host = t.addr
	return t.base.RoundTrip(r)
}

// CloseIdleConnections closes the transport's idle connections.
func (t *routeTransport) CloseIdleConnections() { t.base.CloseIdleConnections() }
