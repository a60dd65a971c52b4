package databricks

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestTransportKeepsTelemetryLocal checks that the feature-flag check and
// telemetry pushes are answered in the process (the dialer is never
// called), and that other requests go to the network.
func TestTransportKeepsTelemetryLocal(t *testing.T) {
	tr := newTransport()
	var dials []string
	tr.base.DialContext = func(_ context.Context, _, addr string) (net.Conn, error) {
		dials = append(dials, addr)
		return nil, errors.New("dial refused by test")
	}
	tr.base.Proxy = nil
	for _, tc := range []struct {
		name, method, url string
		local             bool
		body              string
	}{
		{"feature flag", "GET", "https://dbc-1.cloud.databricks.com/api/2.0/connector-service/feature-flags/GOLANG/1.11.0", true, `"value":"false"`},
		{"telemetry", "POST", "https://dbc-1.cloud.databricks.com/telemetry-ext", true, "{}"},
		{"thrift", "POST", "https://dbc-1.cloud.databricks.com/sql/1.0/warehouses/x", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dials = nil
			req, _ := http.NewRequest(tc.method, tc.url, strings.NewReader("x"))
			resp, err := tr.RoundTrip(req)
			if !tc.local {
				if err == nil || len(dials) != 1 || dials[0] != "dbc-1.cloud.databricks.com:443" {
					t.Fatalf("request did not go to the network: err %v dials %v", err, dials)
				}
				return
			}
			if err != nil || len(dials) != 0 {
				t.Fatalf("err %v, dials %v: want a local answer", err, dials)
			}
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || !strings.Contains(string(b), tc.body) {
				t.Errorf("local answer %d %s", resp.StatusCode, b)
			}
			if tc.name == "feature flag" && !strings.Contains(string(b), telemetryFlag) {
				t.Error("the local feature-flag answer does not name the telemetry flag")
			}
		})
	}
}
