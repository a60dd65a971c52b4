package awssm_test

import (
	"fmt"

	"github.com/vapsql/vap/credential/awssm"
)

func ExampleParseRef() {
	r, err := awssm.ParseRef("prod/orders?version-stage=AWSPREVIOUS#password")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s %s %s\n", r.SecretID, r.VersionStage, r.Key)
	// Output: prod/orders AWSPREVIOUS password
}
