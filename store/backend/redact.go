package backend

import (
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// keywordDSN matches a libpq keyword/value connection string
// ("host=db user=ben password=…"): it starts with a keyword and "=".
var keywordDSN = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*[A-Za-z_][A-Za-z0-9_]*\s*=`) })

// IsKeywordValue reports whether s is a keyword/value connection string
// rather than a URL or a file path.
func IsKeywordValue(s string) bool { return !strings.Contains(s, "://") && keywordDSN().MatchString(s) }

// secretKey reports whether a connection-string key holds a secret.
func secretKey(k string) bool {
	k = strings.ToLower(strings.TrimSpace(k))
	return k == "password" || k == "sslpassword"
}

// redacted replaces a secret value.
const redacted = "xxxxx"

// RedactURL returns the store URL (or path, or keyword/value connection
// string) with every password replaced by "xxxxx": the userinfo password
// and the values of password and sslpassword parameters, in a URL's query
// or as keywords. A URL that does not parse prints as "(unparsable URL)".
func RedactURL(raw string) string {
	if IsKeywordValue(raw) {
		return redactKeywords(raw)
	}
	if !strings.Contains(raw, "://") {
		return raw // a file path
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			k, _, ok := strings.Cut(p, "=")
			if key, err := url.QueryUnescape(k); ok && (err != nil || secretKey(key)) {
				parts[i] = k + "=" + redacted
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	return u.Redacted()
}

// redactKeywords redacts a keyword/value string, parsed as libpq does:
// key = value pairs separated by spaces, a value either bare or
// single-quoted with backslash escapes.
func redactKeywords(s string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		// whitespace
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
			j++
		}
		b.WriteString(s[i:j])
		i = j
		if i >= len(s) {
			break
		}
		// key
		eq := strings.IndexByte(s[i:], '=')
		if eq < 0 {
			b.WriteString(s[i:])
			break
		}
		key := s[i : i+eq]
		b.WriteString(key + "=")
		i += eq + 1
		for i < len(s) && s[i] == ' ' {
			b.WriteByte(' ')
			i++
		}
		// value
		start := i
		if i < len(s) && s[i] == '\'' {
			for i++; i < len(s) && s[i] != '\''; i++ {
				if s[i] == '\\' {
					i++
				}
			}
			i = min(i+1, len(s))
		} else {
			for i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' {
				if s[i] == '\\' {
					i++
				}
				i++
			}
			i = min(i, len(s))
		}
		if secretKey(key) {
			b.WriteString(redacted)
		} else {
			b.WriteString(s[start:i])
		}
	}
	return b.String()
}
