//go:build !vap_no_oracle

package driver

import _ "github.com/vapsql/vap/registry/oracle" // drop with -tags vap_no_oracle
