// Package all registers every connection type vap ships. The vap driver
// imports it; import it yourself when you use the store or the registry
// without the driver.
package all

import (
	_ "github.com/vapsql/vap/registry/databricks" // databricks
	_ "github.com/vapsql/vap/registry/mssql"      // mssql, sqlserver, mssql+pyodbc, mssql+pymysql, mssql+pymssql
	_ "github.com/vapsql/vap/registry/mysql"      // mysql, mariadb
	_ "github.com/vapsql/vap/registry/oracle"     // oracle
	_ "github.com/vapsql/vap/registry/postgres"   // postgresql, sqlalchemy-redshift
	_ "github.com/vapsql/vap/registry/sqlite"     // sqlite
)
