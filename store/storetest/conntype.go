package storetest

import (
	"context"
	sqldriver "database/sql/driver"
	"errors"
	"io"

	"github.com/vapsql/vap/registry"
)

// markerType is the suite's own connection type, so that the suite needs no
// connection family: its fields look like a server's (host, port,
// user_name, password, the last always a secret), and its connector opens a
// fake database whose every query answers one row, one column "v": the
// connection's "marker" field. The live check switches connections by
// changing the marker.
var markerType = &registry.Type{
	Name:     "storetest",
	Optional: []string{"host", "port", "user_name", "password", "marker"},
	Secrets:  []string{"password"},
	Connector: func(_ context.Context, p registry.Params) (sqldriver.Connector, error) {
		return markerConnector{marker: p.Get("marker")}, nil
	},
}

// types is the registry every Store of the suite validates against.
var types = func() *registry.Registry {
	r := &registry.Registry{}
	r.Register(markerType)
	return r
}()

type markerConnector struct{ marker string }

func (c markerConnector) Connect(context.Context) (sqldriver.Conn, error) {
	return markerConn(c), nil
}

func (markerConnector) Driver() sqldriver.Driver { return markerDriver{} }

type markerDriver struct{}

func (markerDriver) Open(string) (sqldriver.Conn, error) {
	return nil, errors.New("storetest: the marker database opens through its connector only")
}

type markerConn struct{ marker string }

func (c markerConn) Prepare(string) (sqldriver.Stmt, error) { return markerStmt(c), nil }
func (markerConn) Close() error                             { return nil }
func (markerConn) Begin() (sqldriver.Tx, error) {
	return nil, errors.New("storetest: the marker database has no transactions")
}

type markerStmt struct{ marker string }

func (markerStmt) Close() error  { return nil }
func (markerStmt) NumInput() int { return -1 }
func (markerStmt) Exec([]sqldriver.Value) (sqldriver.Result, error) {
	return nil, errors.New("storetest: the marker database only answers queries")
}
func (s markerStmt) Query([]sqldriver.Value) (sqldriver.Rows, error) {
	return &markerRows{marker: s.marker}, nil
}

type markerRows struct {
	marker string
	done   bool
}

func (*markerRows) Columns() []string { return []string{"v"} }
func (*markerRows) Close() error      { return nil }
func (r *markerRows) Next(dest []sqldriver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0] = r.marker
	return nil
}
