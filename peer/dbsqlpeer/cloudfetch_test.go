package dbsqlpeer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/peer/dbsqlpeer"
)

// TestCloudFetchLinkExpiry: a link used after its expiry is refused (403,
// as from cloud storage), and the driver reports an error: it never
// returns the rows it could not download as a shorter result.
func TestCloudFetchLinkExpiry(t *testing.T) {
	p := startPeer(t, dbsqlpeer.Config{CloudFetchThreshold: 1, CloudFetchLinkTTL: time.Nanosecond})
	db := openDB(t, p)
	rows, err := db.QueryContext(testContext(t), "SELECT id FROM range(0, 10)")
	if err == nil {
		n := 0
		for rows.Next() {
			n++
		}
		err = rows.Err()
		rows.Close()
		if err == nil {
			t.Fatalf("read %d rows from expired links without an error", n)
		}
	}
	s := p.Stats()
	if s.Pages["cloudfetch"] == 0 {
		t.Fatalf("the result did not go by CloudFetch: %+v", s)
	}
	if s.ExpiredLinks == 0 && !strings.Contains(err.Error(), "expired") {
		t.Fatalf("error %v; want the download refused as expired (peer refusals: %d)", err, s.ExpiredLinks)
	}
	t.Logf("error: %v (peer refused %d expired downloads)", err, s.ExpiredLinks)
}
