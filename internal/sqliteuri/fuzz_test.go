package sqliteuri

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzBuild: whatever the path, the URI names exactly that file (nothing
// in the path becomes a parameter) and carries exactly the parameters given.
func FuzzBuild(f *testing.F) {
	for _, s := range []string{"/tmp/a.db", "a b?mode=rw#x%41", "//host/share", ":memory:", "file:x", "c:\\x.db", "?_pragma=key('x')"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		params := url.Values{"_pragma": {"busy_timeout(5000)"}}
		uri := Build(path, params)
		rest, ok := strings.CutPrefix(uri, "file:")
		if !ok {
			t.Fatalf("%q: no file: prefix", uri)
		}
		p, q, _ := strings.Cut(rest, "?")
		got, err := url.PathUnescape(p)
		if err != nil {
			t.Fatalf("%q: path does not unescape: %v", uri, err)
		}
		want := path
		if strings.HasPrefix(want, "//") {
			want = "/" + strings.TrimLeft(want, "/")
		}
		if got != want {
			t.Fatalf("path %q built into %q, which names %q", path, uri, got)
		}
		if v, err := url.ParseQuery(q); err != nil || len(v) != 1 || v.Get("_pragma") != "busy_timeout(5000)" {
			t.Fatalf("path %q changed the parameters: %q", path, q)
		}
	})
}
