package transfer_test

import (
	"context"
	"testing"

	"github.com/vapsql/vap/transfer"
)

// TestSchemaQualified creates SCHEMA.NAME tables: on MariaDB through the
// staging table renamed in the same schema, on PostgreSQL in the
// transaction, each with a quoted name that keeps its case.
func TestSchemaQualified(t *testing.T) {
	c := open(t, "pg", "my")
	ctx := context.Background()
	my, pg := unique("vap_copy_Schema"), unique("vap_copy_Schema")
	var db string
	if err := c.myAdmin.QueryRow("SELECT DATABASE()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	dropLater(t, c.myAdmin, db+".`"+my+"`")
	dropLater(t, c.pgAdmin, `public."`+pg+`"`)
	q := "SELECT g AS id FROM generate_series(1, 2500) g"
	if res, err := transfer.Copy(ctx, c.pg, c.my, transfer.Options{Query: q, Table: db + ".`" + my + "`", Create: true}); err != nil || res.Rows != 2500 {
		t.Fatalf("into MariaDB: %+v %v", res, err)
	}
	if res, err := transfer.Copy(ctx, c.pg, c.pg, transfer.Options{Query: q, Table: `public."` + pg + `"`, Create: true}); err != nil || res.Rows != 2500 {
		t.Fatalf("into PostgreSQL: %+v %v", res, err)
	}
	var n int
	if err := c.myAdmin.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE ?", db, my+"%").Scan(&n); err != nil || n != 1 {
		t.Errorf("%d MariaDB tables named %s… (%v), want 1 (no staging table left)", n, my, err)
	}
	if err := c.pgAdmin.QueryRow(`SELECT count(*) FROM public."` + pg + `"`).Scan(&n); err != nil || n != 2500 {
		t.Errorf("PostgreSQL table holds %d rows (%v)", n, err)
	}
}
