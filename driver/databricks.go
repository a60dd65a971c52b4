//go:build !vap_no_databricks

package driver

import _ "github.com/vapsql/vap/registry/databricks" // drop with -tags vap_no_databricks
