package oracle

import (
	"errors"

	"github.com/sijms/go-ora/v2/network"
)

// authError reports the server refusing the login: ORA-01017 (invalid
// username/password), ORA-28000 (account locked).
func authError(err error) bool {
	var oe *network.OracleError
	return errors.As(err, &oe) && (oe.ErrCode == 1017 || oe.ErrCode == 28000)
}
