package all_test

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/vapsql/vap/registry"
	_ "github.com/vapsql/vap/registry/all"
)

// canary is planted in every secret field; no error may hold it in any form.
const canary = "fz-Secret+/=:@?%-canary"

func leaks(msg string) bool {
	for _, f := range []string{canary, url.QueryEscape(canary), url.PathEscape(canary), base64.StdEncoding.EncodeToString([]byte(canary)), canary[:12]} {
		if strings.Contains(msg, f) {
			return true
		}
	}
	return false
}

// FuzzTypes feeds every registered type's Validate and Connector (the
// URL/DSN building) fields and options from outside: no panic, and no
// secret in any error.
func FuzzTypes(f *testing.F) {
	f.Add("db.example.com", "5432", "ben", "sales", "require")
	f.Add("::1", "+5432", "u;x=1", "d?b#x", "a'b")
	f.Add("h,h2", "0005432", "", "", "")
	f.Add("h:1", "65536", "user@host", "/db", "true")
	f.Add("[fe80::1%eth0]", "1", "u\x00", "db name", "5s")
	f.Fuzz(func(t *testing.T, host, port, user, db, opt string) {
		for _, s := range []string{host, port, user, db, opt} {
			if strings.Contains(s, canary[:12]) {
				return
			}
		}
		for _, typ := range registry.Default.Types() {
			fields := map[string]string{}
			for _, k := range append(append([]string{}, typ.Required...), typ.Optional...) {
				switch {
				case typ.IsSecret(k):
					fields[k] = canary
				case k == "host" || k == "server_hostname":
					fields[k] = host
				case k == "port":
					fields[k] = port
				case k == "dbname" || k == "path" || k == "http_path":
					fields[k] = db
				default:
					fields[k] = user
				}
			}
			for _, o := range typ.Options {
				fields[registry.OptionPrefix+o] = opt
			}
			p := registry.NewParams("fuzz", typ.Name, fields)
			if err := typ.Validate(p); err != nil {
				if leaks(err.Error()) {
					t.Fatalf("%s: Validate error leaks the secret: %v", typ.Name, err)
				}
				continue
			}
			if _, err := typ.Connector(context.Background(), p); err != nil && leaks(err.Error()) {
				t.Fatalf("%s: Connector error leaks the secret: %v", typ.Name, err)
			}
		}
	})
}
