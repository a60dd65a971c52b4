package dbsqlpeer

import (
	"bytes"
	"fmt"

	"github.com/pierrec/lz4/v4"

	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
)

// ResultFormat is how the peer sends result rows to a client that can read
// Arrow (databricks-sql-go always can).
type ResultFormat int

const (
	// ArrowResults, the default, answers as a warehouse does: inline Arrow
	// IPC batches (ARROW_BASED_SET) and, for a result of more than
	// Config.CloudFetchThreshold rows or more when the client can download results,
	// CloudFetch links (URL_BASED_SET) to the peer's own file server.
	ArrowResults ResultFormat = iota
	// ColumnResults answers with column-based row sets (COLUMN_BASED_SET),
	// as a HiveServer2 without Arrow does.
	ColumnResults
)

// String names the format as the cmd/dbsqlpeer -results flag does.
func (f ResultFormat) String() string {
	switch f {
	case ArrowResults:
		return "arrow"
	case ColumnResults:
		return "columns"
	}
	return fmt.Sprintf("ResultFormat(%d)", int(f))
}

// ParseResultFormat reads "arrow" or "columns".
func ParseResultFormat(s string) (ResultFormat, error) {
	switch s {
	case "arrow":
		return ArrowResults, nil
	case "columns":
		return ColumnResults, nil
	}
	return 0, fmt.Errorf("dbsqlpeer: unknown result format %q (want arrow or columns)", s)
}

// resultForm is how one operation's result travels.
type resultForm int

const (
	formColumns resultForm = iota
	formArrow
	formLinks
	numForms
)

var formNames = [numForms]string{"columns", "arrow", "cloudfetch"}

// wanted is what an ExecuteStatement request says the client can read.
type wanted struct {
	arrow    bool // canReadArrowResult
	types    arrowTypes
	download bool // canDownloadResult: CloudFetch links
	lz4      bool // canDecompressLZ4Result
}

func wantedResults(req *tcli.TExecuteStatementReq) wanted {
	return wanted{
		arrow:    req.GetCanReadArrowResult_(),
		types:    arrowTypesOf(req),
		download: req.GetCanDownloadResult_(),
		lz4:      req.GetCanDecompressLZ4Result_(),
	}
}

// prepare decides, once the statement finished successfully, how its
// result is sent, and builds its Arrow schema.
func (p *Peer) prepare(op *operation) error {
	var err error
	op.prepareOnce.Do(func() {
		switch {
		case len(op.cols) == 0 || !op.want.arrow || p.cfg.Results == ColumnResults:
			op.form = formColumns
			return
		case op.want.download && p.cfg.CloudFetchThreshold > 0 && len(op.rows) > 0 && int64(len(op.rows)) >= p.cfg.CloudFetchThreshold:
			op.form = formLinks
		default:
			op.form = formArrow
		}
		op.schema = arrowSchema(op.cols, op.want.types)
		op.schemaIPC, err = ipcSchema(op.schema)
		if err != nil {
			op.form = formColumns
		}
	})
	return err
}

// metadata is op's TGetResultSetMetadataResp: the Hive schema and, for
// Arrow and CloudFetch results, the Arrow schema as one IPC message.
func (p *Peer) metadata(op *operation) *tcli.TGetResultSetMetadataResp {
	if err := p.prepare(op); err != nil {
		return &tcli.TGetResultSetMetadataResp{Status: errorStatus("XX000", "Cannot encode the Arrow schema: "+err.Error())}
	}
	format := tcli.TSparkRowSetType_COLUMN_BASED_SET
	switch op.form {
	case formArrow:
		format = tcli.TSparkRowSetType_ARROW_BASED_SET
	case formLinks:
		format = tcli.TSparkRowSetType_URL_BASED_SET
	}
	no, lz4 := false, op.form != formColumns && op.want.lz4
	resp := &tcli.TGetResultSetMetadataResp{
		Status: okStatus(), Schema: schema(op.cols), ResultFormat: &format,
		Lz4Compressed: &lz4, IsStagingOperation: &no,
	}
	if op.form != formColumns {
		resp.ArrowSchema = op.schemaIPC
	}
	return resp
}

// fetch returns the next page of at most maxRows rows from op's cursor, in
// op's form.
func (p *Peer) fetch(op *operation, maxRows int64, withMetadata bool) *tcli.TFetchResultsResp {
	if maxRows <= 0 || maxRows > maxPageRows {
		maxRows = maxPageRows
	}
	if err := p.prepare(op); err != nil {
		return &tcli.TFetchResultsResp{Status: errorStatus("XX000", "Cannot encode the Arrow schema: "+err.Error())}
	}
	total := int64(len(op.rows))
	if op.form == formLinks { // a page of links is sized in files, not by max_rows
		maxRows = int64(p.cfg.CloudFetchLinksPerPage) * int64(p.cfg.CloudFetchFileRows)
	}
	p.mu.Lock()
	start := op.cursor
	end := min(start+maxRows, total)
	op.cursor = end
	p.mu.Unlock()
	more := end < total
	resp := &tcli.TFetchResultsResp{Status: okStatus(), HasMoreRows: &more}
	var err error
	switch op.form {
	case formColumns:
		resp.Results = rowSet(op.cols, op.rows[start:end], start)
	case formArrow:
		resp.Results, err = p.arrowRowSet(op, start, end)
	case formLinks:
		resp.Results = p.linkRowSet(op, start, end)
	}
	if err != nil {
		return &tcli.TFetchResultsResp{Status: errorStatus("XX000", "Cannot encode the result as Arrow: "+err.Error())}
	}
	if len(op.cols) > 0 {
		p.pages[op.form].Add(1)
	}
	if withMetadata {
		resp.ResultSetMetadata = p.metadata(op)
	}
	return resp
}

// arrowRowSet is rows [start, end) of op as inline Arrow batches of at
// most Config.ArrowBatchRows rows each, LZ4-framed when the client asked.
func (p *Peer) arrowRowSet(op *operation, start, end int64) (*tcli.TRowSet, error) {
	set := &tcli.TRowSet{StartRowOffset: start, Rows: []*tcli.TRow{}, ArrowBatches: []*tcli.TSparkArrowBatch{}}
	step := int64(p.cfg.ArrowBatchRows)
	for lo := start; lo < end; lo += step {
		hi := min(lo+step, end)
		b, err := ipcBatch(op.schema, len(op.schemaIPC), op.cols, op.rows[lo:hi])
		if err != nil {
			return nil, err
		}
		if op.want.lz4 {
			if b, err = lz4Frame(b); err != nil {
				return nil, err
			}
		}
		set.ArrowBatches = append(set.ArrowBatches, &tcli.TSparkArrowBatch{Batch: b, RowCount: hi - lo})
	}
	return set, nil
}

// lz4Frame compresses b as one LZ4 frame, as a warehouse compresses
// batches and CloudFetch files for a client that can decompress them.
func lz4Frame(b []byte) ([]byte, error) {
	var out bytes.Buffer
	w := lz4.NewWriter(&out)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
