package mssql

import (
	"errors"

	gomssql "github.com/microsoft/go-mssqldb"
)

// authError reports the server refusing the login: error 18456 (login
// failed), the answer to a wrong password or a refused token.
func authError(err error) bool {
	var e gomssql.Error
	if errors.As(err, &e) {
		return e.Number == 18456
	}
	var pe *gomssql.Error
	return errors.As(err, &pe) && pe.Number == 18456
}
