package databricks

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Driver endpoints that vap keeps inside the process.
const (
	featureFlagPath = "/api/2.0/connector-service/feature-flags/"
	telemetryPath   = "/telemetry-ext"
	// telemetryFlag is the flag the driver looks for; vap answers false.
	telemetryFlag = "databricks.partnerplatform.clientConfigsFeatureFlags.enableTelemetryForGoDriver"
)

// privateTransport forwards the driver's requests to base, except the
// telemetry feature-flag check, answered locally with "off", and telemetry
// pushes, answered locally with an empty success. base must not be shared
// with anything else: Close closes its idle connections.
type privateTransport struct {
	base *http.Transport
}

func newTransport() *privateTransport {
	return &privateTransport{base: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   10,
		IdleConnTimeout:       180 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}}
}

func (t *privateTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	switch {
	case strings.HasPrefix(r.URL.Path, featureFlagPath):
		return local(r, `{"flags":[{"name":"`+telemetryFlag+`","value":"false"}],"ttl_seconds":86400}`), nil
	case strings.HasPrefix(r.URL.Path, telemetryPath):
		return local(r, `{}`), nil
	}
	return t.base.RoundTrip(r)
}

// local is a 200 answer made in the process.
func local(r *http.Request, body string) *http.Response {
	if r.Body != nil {
		r.Body.Close()
	}
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader([]byte(body))),
		ContentLength: int64(len(body)),
		Request:       r,
	}
}

func (t *privateTransport) close() { t.base.CloseIdleConnections() }
