package conformance

import (
	"database/sql"
	"os"
	"path/filepath"

	vapdriver "github.com/vapsql/vap/driver"
	"github.com/vapsql/vap/store"
)

// scratch is a private store in a temporary directory holding a copy of the
// target's connection, so checks that update or delete a connection never
// touch the target's store.
type scratch struct {
	dir  string
	st   *store.Store
	name string
}

// newScratch copies the resolved connection into a fresh store under a
// unique name, after applying edit to the copy (edit may be nil).
func newScratch(e *env, edit func(c *store.Connection)) (*scratch, error) {
	dir, err := os.MkdirTemp("", "vap-conformance-")
	if err != nil {
		return nil, err
	}
	s := &scratch{dir: dir, name: unique("vap-conformance-")}
	s.st = store.Open(store.WithHome(dir), store.WithURL(filepath.Join(dir, store.StoreFileName)),
		store.WithRegistry(e.st.Registry()), store.WithoutEnvOverrides())
	c := e.conn.Clone()
	c.Name, c.Version = s.name, 0
	if edit != nil {
		edit(c)
	}
	if err := s.st.Create(e.ctx, c); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// open returns a *sql.DB on the copy that opens a new physical connection
// for every use (no idle connections), so each use resolves the store anew.
func (s *scratch) open() (*sql.DB, error) {
	c, err := vapdriver.NewConnector(s.name, vapdriver.WithStore(s.st), vapdriver.WithRegistry(s.st.Registry()))
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	db.SetMaxIdleConns(0)
	return db, nil
}

// set updates one field of the stored copy.
func (s *scratch) set(e *env, field, value string, secret bool) error {
	c, err := s.st.Get(e.ctx, s.name)
	if err != nil {
		return err
	}
	c.Set(field, value, secret)
	return s.st.Update(e.ctx, c)
}

func (s *scratch) close() {
	s.st.Close()
	os.RemoveAll(s.dir)
}
