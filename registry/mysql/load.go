package mysql

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
)

// Load writes rows into MySQL/MariaDB with LOAD DATA LOCAL INFILE from an
// io.Reader (go-sql-driver/mysql's Reader:: handler) in the load's
// transaction, when the server's local_infile is ON; with it OFF, as
// multi-row INSERTs. MySQL's DDL commits, so a created table is loaded
// as a staging table and renamed (RENAME TABLE) at the end. A table of an
// engine without transactions (MyISAM) is refused.
var Load = &registry.Load{
	Quote:        Quote,
	ColumnType:   ColumnType,
	RenameTable:  renameTable,
	Check:        transactional,
	BulkName:     "LOAD DATA",
	Bulk:         loadData,
	InsertRows:   1000,
	InsertParams: 65535,
}

// Quote quotes an identifier: `name`, with ` doubled.
func Quote(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

func renameTable(schema, from, to string) string {
	if schema != "" {
		from, to = schema+"."+from, schema+"."+to
	}
	return "RENAME TABLE " + from + " TO " + to
}

// ColumnType is the type of a created column: BIGINT, DOUBLE,
// DECIMAL(p,s) (DECIMAL(65,30) when the source does not say), LONGTEXT,
// LONGBLOB, BOOLEAN, DATE, TIME(6), DATETIME(6) (a TIMESTAMPTZ's instant
// as its UTC wall clock).
func ColumnType(c registry.LoadColumn) string { return ddlTypes.ColumnType(c) }

var ddlTypes = registry.DDLTypes{
	Int64: "BIGINT", Float64: "DOUBLE", Bytes: "LONGBLOB", Bool: "BOOLEAN", Text: "LONGTEXT",
	Decimal: "DECIMAL(%d,%d)", MaxPrecision: 65, MaxScale: 30, DecimalDefault: "DECIMAL(65,30)",
	Date: "DATE", Clock: "TIME(6)", Wall: "DATETIME(6)",
}

// transactional refuses a table whose engine has no transactions
// (MyISAM, Aria, MEMORY…): a failed load could not be rolled back.
func transactional(ctx context.Context, req *registry.LoadRequest) error {
	var engine, tx sql.NullString
	err := req.Tx.QueryRowContext(ctx, `SELECT t.ENGINE, e.TRANSACTIONS FROM information_schema.TABLES t
		LEFT JOIN information_schema.ENGINES e ON e.ENGINE = t.ENGINE
		WHERE t.TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND t.TABLE_NAME = ?`, req.Schema, req.Name).Scan(&engine, &tx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil // a view, or a name the server resolves otherwise: the load says
	case err != nil:
		return err
	case engine.Valid && tx.String != "YES":
		return fmt.Errorf("table %s uses the %s engine, which has no transactions: a failed copy could not be undone (copy into an InnoDB table, or with --create)", req.Name, engine.String)
	}
	return nil
}

// loadData runs LOAD DATA LOCAL INFILE 'Reader::…' with the rows in the
// statement's default format. go-sql-driver/mysql v1.10 always announces
// the LOCAL INFILE capability and serves a registered Reader:: handler
// without allowAllFiles (which only opens local files), so the connection
// needs no setting; the server must have local_infile ON (checked first).
//
// The rows go in the default format (tab-separated, \N for NULL,
// backslash escapes) with CHARACTER SET binary, so bytes go in as they are. The
// server turns bad values and duplicate keys of a LOCAL load into
// warnings and goes on; any warning, or fewer rows taken than sent, fails
// the load (the caller rolls back).
func loadData(ctx context.Context, req *registry.LoadRequest) (int64, error) {
	var on int64
	if err := req.Tx.QueryRowContext(ctx, "SELECT @@local_infile").Scan(&on); err != nil {
		return 0, err
	}
	if on == 0 {
		return 0, registry.ErrNoBulk
	}
	var id [12]byte
	rand.Read(id[:])
	name := "vap-load-" + hex.EncodeToString(id[:])
	r := registry.NewRowReader(req.Rows, req.Columns, appendRow)
	gomysql.RegisterReaderHandler(name, func() io.Reader { return r })
	defer gomysql.DeregisterReaderHandler(name)

	var b strings.Builder
	b.WriteString("LOAD DATA LOCAL INFILE 'Reader::" + name + "' INTO TABLE " + req.Table + " CHARACTER SET binary (")
	for j, c := range req.Columns {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(Quote(c.Name))
	}
	b.WriteString(")")
	res, err := req.Tx.ExecContext(ctx, b.String())
	if err := r.Err(); err != nil { // the rows failed; the server took what came before
		return 0, err
	}
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if err := warnings(ctx, req); err != nil {
		return n, err
	}
	if n != r.Rows() {
		return n, fmt.Errorf("the server took %d of the %d rows sent", n, r.Rows())
	}
	return n, nil
}

// atRow finds the row a MySQL warning names ("… at row 3").
var atRow = regexp.MustCompile(` at row ([0-9]+)$`)

// warnings fails with the first warning or error of the load, if any.
func warnings(ctx context.Context, req *registry.LoadRequest) error {
	rows, err := req.Tx.QueryContext(ctx, "SHOW WARNINGS LIMIT 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var level, msg string
		var code int64
		if err := rows.Scan(&level, &code, &msg); err != nil {
			return err
		}
		if level == "Note" {
			continue
		}
		e := &registry.LoadError{Err: fmt.Errorf("%s %d: %s", level, code, msg)}
		if m := atRow.FindStringSubmatch(msg); m != nil {
			e.Row, _ = strconv.ParseInt(m[1], 10, 64)
		}
		return e
	}
	return rows.Err()
}

var errNoSpecial = errors.New("MySQL has no NaN or infinity")

// appendRow appends one row: tab-separated, \N for NULL, backslash, tab,
// newline, carriage return and NUL escaped, times as their UTC wall clock.
func appendRow(b []byte, cols []registry.LoadColumn, vals []any) ([]byte, error) {
	for j, v := range vals {
		if j > 0 {
			b = append(b, '\t')
		}
		switch x := v.(type) {
		case nil:
			b = append(b, `\N`...)
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return b, fmt.Errorf("column %s: %w", cols[j].Name, errNoSpecial)
			}
			b = strconv.AppendFloat(b, x, 'g', -1, 64)
		case bool:
			if x {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
		case string:
			b = appendEscaped(b, x)
		case []byte:
			b = appendEscaped(b, x)
		case time.Time:
			t := x.UTC()
			switch {
			case cols[j].Time == coltype.Clock:
				b = t.AppendFormat(b, "15:04:05.999999")
			case t.Year() < 0 || t.Year() > 9999:
				return b, fmt.Errorf("column %s: year %d is out of MySQL's range", cols[j].Name, t.Year())
			case cols[j].Date:
				b = t.AppendFormat(b, "2006-01-02")
			default:
				b = t.AppendFormat(b, "2006-01-02 15:04:05.999999")
			}
		default:
			return b, fmt.Errorf("column %s: cannot write a %T", cols[j].Name, v)
		}
	}
	return append(b, '\n'), nil
}

func appendEscaped[S string | []byte](b []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, '\\', '\\')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case 0:
			b = append(b, '\\', '0')
		default:
			b = append(b, c)
		}
	}
	return b
}
