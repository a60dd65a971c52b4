//go:build !vap_no_mysql

package driver

import _ "github.com/vapsql/vap/registry/mysql" // drop with -tags vap_no_mysql
