package odbc

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// PostgreSQL type OIDs the fast path decodes itself.
const (
	oidBool        = 16
	oidBytea       = 17
	oidName        = 19
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidOID         = 26
	oidJSON        = 114
	oidXML         = 142
	oidFloat4      = 700
	oidFloat8      = 701
	oidUnknown     = 705
	oidMoney       = 790
	oidBPChar      = 1042
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidNumeric     = 1700
	oidUUID        = 2950
	oidJSONB       = 3802
)

// pgFormats asks for the binary form of the fixed-width types and the text
// form of everything else: text needs no decoding, NUMERIC's text is its
// exact decimal, and types we do not know read as PostgreSQL prints them.
var pgFormats = pgx.QueryResultFormatsByOID{
	oidBool: pgx.BinaryFormatCode, oidBytea: pgx.BinaryFormatCode, oidInt8: pgx.BinaryFormatCode,
	oidInt2: pgx.BinaryFormatCode, oidInt4: pgx.BinaryFormatCode, oidOID: pgx.BinaryFormatCode,
	oidFloat4: pgx.BinaryFormatCode, oidFloat8: pgx.BinaryFormatCode, oidDate: pgx.BinaryFormatCode,
	oidTime: pgx.BinaryFormatCode, oidTimestamp: pgx.BinaryFormatCode, oidTimestamptz: pgx.BinaryFormatCode,
	oidUUID: pgx.BinaryFormatCode,
}

// pgKind is the kind of a PostgreSQL column.
func pgKind(oid uint32) (Kind, timeMode) {
	switch oid {
	case oidBool:
		return KindBool, 0
	case oidInt2, oidInt4, oidInt8, oidOID:
		return KindInt64, 0
	case oidFloat4, oidFloat8:
		return KindFloat64, 0
	case oidNumeric:
		return KindDecimal, 0
	case oidBytea:
		return KindBytes, 0
	case oidDate, oidTimestamp:
		return KindTime, tmWall
	case oidTime:
		return KindTime, tmClock
	case oidTimestamptz:
		return KindTime, tmInstant
	}
	return KindString, 0 // text, JSON, UUID, MONEY, arrays, enums, intervals…: their text
}

// pgxQuery runs a query on a native pgx connection and decodes the raw row
// values straight into the columns.
//
// When the query ends early (context cancelled, a limit hit, a stream
// consumer gone) it sends PostgreSQL a cancel request, so the server stops
// working, and closes the connection: pgx drops it anyway on a cancelled
// read, and a cancel request arriving late must not hit the next query.
func pgxQuery(ctx context.Context, pc *pgx.Conn, query string, args []any, b *builder) (err error) {
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cancelled := make(chan struct{})
	stop := context.AfterFunc(qctx, func() {
		defer close(cancelled)
		cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer ccancel()
		pc.PgConn().CancelRequest(cctx) // best effort; the connection is closed below
	})
	defer func() {
		if !stop() {
			<-cancelled
			cctx, ccancel := context.WithTimeout(context.Background(), time.Second)
			pc.Close(cctx)
			ccancel()
			if ctx.Err() != nil && (err == nil || !errors.As(err, new(*LimitError))) {
				err = fmt.Errorf("odbc: query cancelled: %w", context.Cause(ctx))
			}
		}
	}()

	rows, err := pc.Query(qctx, query, append([]any{pgFormats}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	fds := rows.FieldDescriptions()
	tm := pc.TypeMap()
	cols := make([]Column, len(fds))
	decs := make([]pgDecoder, len(fds))
	for j, fd := range fds {
		k, mode := pgKind(fd.DataTypeOID)
		cols[j] = Column{Name: fd.Name, DatabaseType: pgTypeName(tm, fd.DataTypeOID), Kind: k, Nullable: true}
		pgDetails(&cols[j], fd.DataTypeOID, fd.TypeModifier)
		decs[j] = pgDecoderFor(tm, fd, k, mode)
	}
	b.start(cols)
	data := b.cols()
	for rows.Next() {
		for j, v := range rows.RawValues() {
			if v == nil {
				data[j].appendNull()
				continue
			}
			if err := decs[j](&data[j], v); err != nil {
				cancel()
				return &ConvertError{Column: fds[j].Name, Row: int(b.total), Kind: data[j].kind, Err: err}
			}
		}
		if err := b.endRow(); err != nil {
			cancel()
			if errors.Is(err, errStop) {
				return nil
			}
			return err
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if s := b.cfg.summary; s != nil {
		tag := rows.CommandTag()
		s.Tag, s.RowsAffected = tag.String(), tag.RowsAffected()
	}
	return b.finish()
}

// pgTypeName is the upper-case type name, as pgx's database/sql driver
// reports it ("INT8", "TIMESTAMPTZ").
func pgTypeName(tm *pgtype.Map, oid uint32) string {
	if t, ok := tm.TypeForOID(oid); ok {
		return strings.ToUpper(t.Name)
	}
	return fmt.Sprint(oid)
}

// pgDecoder appends one non-NULL raw value to a column.
type pgDecoder func(c *colData, v []byte) error

// pgDecoderFor picks the decoder of a column: a hand-written one when the
// server sent the format we asked for, else pgx's codec (a connection in
// simple-protocol mode sends text) and the generic normalization.
func pgDecoderFor(tm *pgtype.Map, fd pgconn.FieldDescription, k Kind, mode timeMode) pgDecoder {
	if fd.Format == pgx.BinaryFormatCode {
		switch fd.DataTypeOID {
		case oidBool:
			return decBool
		case oidInt2:
			return decInt2
		case oidInt4:
			return decInt4
		case oidInt8:
			return decInt8
		case oidOID:
			return decOID
		case oidFloat4:
			return decFloat4
		case oidFloat8:
			return decFloat8
		case oidDate:
			return decDate
		case oidTime:
			return decTime
		case oidTimestamp, oidTimestamptz:
			return decTimestamp
		case oidBytea:
			return decBytes
		case oidUUID:
			return decUUID
		}
	} else if k == KindString || k == KindDecimal || (k == KindBytes && fd.DataTypeOID != oidBytea) {
		return decBytes
	}
	spec := colSpec{Kind: k, Time: mode, Scale: -1}
	oid, format := fd.DataTypeOID, fd.Format
	return func(c *colData, v []byte) error {
		var x any
		if t, ok := tm.TypeForOID(oid); ok {
			var err error
			if x, err = t.Codec.DecodeValue(tm, oid, format, v); err != nil {
				return err
			}
		} else {
			x = string(v)
		}
		switch y := x.(type) {
		case pgtype.Numeric:
			b, err := y.MarshalJSON()
			if err != nil {
				return err
			}
			x = strings.Trim(string(b), `"`)
		case pgtype.Time:
			x = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(y.Microseconds) * time.Microsecond)
		case [16]byte:
			x = string(appendUUID(nil, y[:]))
		}
		return appendValue(c, &spec, x)
	}
}
