package conformance

import (
	"fmt"
	"slices"
)

// checkPasswordUpdate works on a scratch copy of the connection: it stores a
// wrong password (or access token) and requires the next new connection to be refused, then
// stores the right one again and requires the next new connection, through
// the same *sql.DB, to succeed. A server that accepts the wrong password
// does not check passwords, and the check is not provable there.
func checkPasswordUpdate(e *env) outcome {
	field := credentialField(e)
	if field == "" {
		return notApplicable(fmt.Sprintf("type %s has no password or access token", e.typ.Name))
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
	wrong := unique("vap-wrong-" + field + "-")
	e.plant(wrong)
	if err := s.set(e, field, wrong, true); err != nil {
		return failErr("store a wrong "+field, e.observe(err))
	}
	err = e.observe(db.PingContext(e.ctx))
	if err == nil {
		return notProvable(fmt.Sprintf("the server accepted a wrong %s: it does not check it (trust authentication?)", field))
	}
	refused := firstLine(e.scrub(err.Error()))
	if err := s.set(e, field, e.conn.Get(field), true); err != nil {
		return failErr("store the right "+field+" again", e.observe(err))
	}
	if err := e.observe(db.PingContext(e.ctx)); err != nil {
		return failErr("connect after restoring the "+field, err)
	}
	return pass("wrong stored " + field + " refused on the next connection (" + refused + "); restored " + field + " accepted")
}

// credentialField is the field the check changes: password when the type
// has one, else an access token the connection uses.
func credentialField(e *env) string {
	if slices.Contains(e.typ.Required, "password") || slices.Contains(e.typ.Optional, "password") {
		return "password"
	}
	if e.conn.Get("access_token") != "" {
		return "access_token"
	}
	return ""
}
