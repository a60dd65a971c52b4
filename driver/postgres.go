//go:build !vap_no_postgres

package driver

import _ "github.com/vapsql/vap/registry/postgres" // drop with -tags vap_no_postgres
