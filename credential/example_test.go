package credential_test

import (
	"context"
	"fmt"
	"os"

	"github.com/vapsql/vap/credential"
)

func ExampleParseRef() {
	scheme, rest, err := credential.ParseRef("vault:secret/pg#password")
	fmt.Println(scheme, rest, err)
	_, _, err = credential.ParseRef("PGPASSWORD")
	fmt.Println(err)
	// Output:
	// vault secret/pg#password <nil>
	// reference must be "SCHEME:REST" with a lower-case scheme such as env, file, vault, vault-db, aws-sm
}

func ExampleCache_Resolve() {
	os.Setenv("EXAMPLE_PGPASSWORD", "s3cret-from-env")
	defer os.Unsetenv("EXAMPLE_PGPASSWORD")
	c := credential.NewCache()
	s, err := c.Resolve(context.Background(), "env:EXAMPLE_PGPASSWORD")
	fmt.Println(s.Value == "s3cret-from-env", err)
	fmt.Println(s) // prints no value
	_, err = c.Resolve(context.Background(), "env:EXAMPLE_UNSET")
	fmt.Println(err)
	// Output:
	// true <nil>
	// credential.Secret{Value:******** Expires:never Fields:[] ConnLifetime:0s Renewable:false}
	// env: environment variable EXAMPLE_UNSET is not set
}
