package conformance

import (
	"fmt"
	"slices"
)

// checkPasswordUpdate works on a scratch copy of the connection: it stores a
// wrong password and requires the next new connection to be refused, then
// stores the right one again and requires the next new connection, through
// the same *sql.DB, to succeed. A server that accepts the wrong password
// does not check passwords, and the check is not provable there.
func checkPasswordUpdate(e *env) outcome {
	if !slices.Contains(e.typ.Required, "password") && !slices.Contains(e.typ.Optional, "password") {
		return notApplicable(fmt.Sprintf("type %s has no password", e.typ.Name))
	}
	s, err := newScratch(e, nil)
	if err != nil {
		return failErr("copy the connection to a scratch store", e.observe(err))
	}
	defer s.close()
	db, err := s.open()
	if err != nil {
		return failErr("open the copy", e.observe(err))
	}
	defer db.Close()
	if err := e.observe(db.PingContext(e.ctx)); err != nil {
		return failErr("connect with the stored password", err)
	}
	wrong := unique("vap-wrong-password-")
	e.plant(wrong)
	if err := s.set(e, "password", wrong, true); err != nil {
		return failErr("store a wrong password", e.observe(err))
	}
	err = e.observe(db.PingContext(e.ctx))
	if err == nil {
		return notProvable("the server accepted a wrong password: it does not check passwords (trust authentication?)")
	}
	refused := firstLine(e.scrub(err.Error()))
	if err := s.set(e, "password", e.conn.Get("password"), true); err != nil {
		return failErr("store the right password again", e.observe(err))
	}
	if err := e.observe(db.PingContext(e.ctx)); err != nil {
		return failErr("connect after restoring the password", err)
	}
	return pass("wrong stored password refused on the next connection (" + refused + "); restored password accepted")
}
