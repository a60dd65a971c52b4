package dbsqlpeer

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
)

// cloudFetchPath is where the peer's file server answers CloudFetch links:
// the stand-in for the cloud storage a warehouse writes large results to.
const cloudFetchPath = "/cloudfetch/"

// cloudFile is one CloudFetch file: rows [start, end) of an operation's
// result, served as an Arrow IPC stream until it expires.
type cloudFile struct {
	op         *operation
	start, end int64
	expires    time.Time
}

// linkRowSet is rows [start, end) of op as CloudFetch links, one per file
// of at most Config.CloudFetchFileRows rows. Each link is a presigned URL
// on the peer's file server: no bearer token, valid until its expiry.
func (p *Peer) linkRowSet(op *operation, start, end int64) *tcli.TRowSet {
	set := &tcli.TRowSet{StartRowOffset: start, Rows: []*tcli.TRow{}, ResultLinks: []*tcli.TSparkArrowResultLink{}}
	step := int64(p.cfg.CloudFetchFileRows)
	expires := time.Now().Add(p.cfg.CloudFetchLinkTTL)
	for lo := start; lo < end; lo += step {
		hi := min(lo+step, end)
		id := newFileID()
		p.mu.Lock()
		p.addFileLocked(id, &cloudFile{op: op, start: lo, end: hi, expires: expires})
		p.mu.Unlock()
		set.ResultLinks = append(set.ResultLinks, &tcli.TSparkArrowResultLink{
			FileLink:       p.URL() + cloudFetchPath + id,
			ExpiryTime:     expires.Unix(), // seconds, as databricks-sql-go reads it
			StartRowOffset: lo,
			RowCount:       hi - lo,
			BytesNum:       0, // unknown until the file is written
		})
	}
	return set
}

func newFileID() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// maxCloudFiles bounds the CloudFetch files the peer keeps; the oldest
// are dropped first.
const maxCloudFiles = 1 << 16

// addFileLocked records a new file, first dropping expired ones and, past
// maxCloudFiles, the oldest. As in cloud storage a file outlives its
// statement: it stays downloadable until its link expires, even after the
// statement was closed (a short result is closed in the ExecuteStatement
// answer that carries its links). Guarded by Peer.mu.
func (p *Peer) addFileLocked(id string, f *cloudFile) {
	now := time.Now()
	for len(p.fileOrder) > 0 {
		old := p.files[p.fileOrder[0]]
		if old != nil && now.Before(old.expires) && len(p.fileOrder) < maxCloudFiles {
			break
		}
		delete(p.files, p.fileOrder[0])
		p.fileOrder = p.fileOrder[1:]
	}
	p.files[id] = f
	p.fileOrder = append(p.fileOrder, id)
}

// serveCloudFetch answers GET /cloudfetch/<id> with the file's Arrow IPC
// stream (LZ4-framed when the statement's client asked for LZ4), as cloud
// storage answers a presigned URL: 403 once the link expired, 404 for an
// unknown link. Links expire (Config.CloudFetchLinkTTL) but are not
// withdrawn when their statement closes.
func (p *Peer) serveCloudFetch(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	id := strings.TrimPrefix(r.URL.Path, cloudFetchPath)
	p.mu.Lock()
	f := p.files[id]
	p.mu.Unlock()
	switch {
	case f == nil:
		http.Error(w, "NoSuchKey: The specified key does not exist.", http.StatusNotFound)
		return
	case time.Now().After(f.expires):
		p.expiredLinks.Add(1)
		http.Error(w, "AccessDenied: Request has expired.", http.StatusForbidden)
		return
	}
	op := f.op
	var buf bytes.Buffer
	if err := writeIPCStream(&buf, op.schema, op.cols, op.rows[f.start:f.end], true); err != nil {
		http.Error(w, "InternalError: "+err.Error(), http.StatusInternalServerError)
		return
	}
	body := buf.Bytes()
	if op.want.lz4 {
		var err error
		if body, err = lz4Frame(body); err != nil {
			http.Error(w, "InternalError: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	p.downloads.Add(1)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}
