package oracle

import (
	"errors"

	"github.com/sijms/go-ora/v2/network"
)

// Canceled reports whether err is ORA-01013 ("user requested cancel of
// current operation"): go-ora v2.8.24 stops a statement whose context
// ends by a TNS break, and returns the server's ORA-01013 instead of the
// context's error.
func Canceled(err error) bool {
	var oe *network.OracleError
	return errors.As(err, &oe) && oe.ErrCode == 1013
}
