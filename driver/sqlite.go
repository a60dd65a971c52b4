//go:build !vap_no_sqlite

package driver

import _ "github.com/vapsql/vap/registry/sqlite" // drop with -tags vap_no_sqlite
