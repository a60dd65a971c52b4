package keyset

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// TestPrintShowsNoMaterial: a keyset printed in any verb, by pointer or by
// value, shows its key ids but not its key material in any encoding.
func TestPrintShowsNoMaterial(t *testing.T) {
	k, err := New()
	if err != nil {
		t.Fatal(err)
	}
	m := k.keys[0].material
	forms := []string{string(m), hex.EncodeToString(m), base64.StdEncoding.EncodeToString(m)[:16],
		base64.StdEncoding.EncodeToString(k.keys[0].value)[:16], fmt.Sprint(m[:4])[1:10]}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
		for _, v := range []any{k, *k} {
			out := fmt.Sprintf(verb, v)
			for _, f := range forms {
				if strings.Contains(out, f) {
					t.Fatalf("%s of %T prints key material: %s", verb, v, out)
				}
			}
			if verb == "%v" && !strings.Contains(out, fmt.Sprint(k.Primary())) {
				t.Fatalf("%s of %T does not name the key: %s", verb, v, out)
			}
		}
	}
}
