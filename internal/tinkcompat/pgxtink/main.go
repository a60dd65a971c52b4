// Command pgxtink is leanbench's measure of what linking Tink would cost:
// the pgx-only reference program with the Tink packages the store linked
// before it read Tink's formats itself (the keyset handle, cleartext
// keyset files, AEAD, and with them protobuf) imported but not used. Open
// a PostgreSQL URL with pgx, SELECT 1, exit. It lives in this module, with
// Tink, so that vap's own module does not require Tink.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/tink-crypto/tink-go/v2/aead"
	_ "github.com/tink-crypto/tink-go/v2/insecurecleartextkeyset"
	_ "github.com/tink-crypto/tink-go/v2/keyset"
)

func main() {
	db, err := sql.Open("pgx", os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT 1").Scan(&n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(n)
}
