package sqliteuri

import (
	"net/url"
	"strings"
)

// Memory is the path that selects a private in-memory database.
const Memory = ":memory:"

// Build returns "file:" + the escaped path + "?" + the encoded params. The
// path is escaped with net/url, so '?', '#', '%' and spaces in it stay part of
// the file name. ":memory:" becomes an in-memory database.
func Build(path string, params url.Values) string {
	var b strings.Builder
	b.WriteString("file:")
	if path == Memory {
		b.WriteString(Memory)
	} else {
		if strings.HasPrefix(path, "//") {
			// "file://x" would name an authority: "//x" is the file "/x".
			path = "/" + strings.TrimLeft(path, "/")
		}
		b.WriteString((&url.URL{Path: path}).EscapedPath())
	}
	if len(params) > 0 {
		b.WriteByte('?')
		b.WriteString(params.Encode())
	}
	return b.String()
}
