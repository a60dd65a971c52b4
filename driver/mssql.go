//go:build !vap_no_mssql

package driver

import _ "github.com/vapsql/vap/registry/mssql" // drop with -tags vap_no_mssql
