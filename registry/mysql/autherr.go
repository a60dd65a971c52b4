package mysql

import (
	"errors"

	gomysql "github.com/go-sql-driver/mysql"
)

// authError reports the server refusing the login: ER_ACCESS_DENIED_ERROR
// (1045, a wrong user or password) or ER_DBACCESS_DENIED_ERROR (1044).
func authError(err error) bool {
	var me *gomysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1045 || me.Number == 1044)
}
