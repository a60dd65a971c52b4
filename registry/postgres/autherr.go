package postgres

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// authError reports the server refusing the login: SQLSTATE class 28
// (invalid authorization specification: 28000, 28P01 a wrong password).
func authError(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && strings.HasPrefix(pe.Code, "28")
}
