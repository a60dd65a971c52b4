package credential

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxRefLen is the longest secret reference, in bytes.
const MaxRefLen = 4096

// KnownSchemes are the reference schemes vap provides, linked or not: a
// reference of one of them may be stored by a program that does not link
// its resolver (the vap CLI storing a "vault:" reference for a Flow that
// imports credential/vault), and is checked fully only where it is
// resolved. A scheme outside this list must be registered in the program
// that stores it.
var KnownSchemes = []string{"env", "file", "vault", "vault-db", "aws-sm", "gcp-sm"}

// RefChecker is optionally implemented by a Resolver to check the part of a
// reference after "SCHEME:" when it is stored, before anything is fetched.
// Errors describe the shape expected; a reference is not a secret, but
// keep them short.
type RefChecker interface {
	CheckRef(ref string) error
}

// ParseRef splits "SCHEME:REST". The scheme is a lower-case ASCII letter
// followed by lower-case letters, digits and '-'; REST is not empty. The
// reference is valid UTF-8 without control characters, at most MaxRefLen
// bytes.
func ParseRef(s string) (scheme, rest string, err error) {
	if len(s) > MaxRefLen {
		return "", "", fmt.Errorf("reference is %d bytes long; the limit is %d", len(s), MaxRefLen)
	}
	if !utf8.ValidString(s) {
		return "", "", errors.New("reference is not valid UTF-8")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return "", "", errors.New("reference holds a control character")
		}
	}
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || !validScheme(scheme) {
		return "", "", errors.New(`reference must be "SCHEME:REST" with a lower-case scheme such as env, file, vault, vault-db, aws-sm`)
	}
	if rest == "" {
		return "", "", fmt.Errorf("reference %q has nothing after the scheme", scheme+":")
	}
	return scheme, rest, nil
}

func validScheme(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// CheckRef checks a reference for storing: its syntax (ParseRef), then
// its scheme. A linked scheme's resolver checks the rest when it is a
// RefChecker. A scheme vap provides (KnownSchemes) but this program does
// not link is accepted as is. Any other scheme fails with a
// *NotLinkedError listing the linked schemes.
func CheckRef(s string) error {
	scheme, rest, err := ParseRef(s)
	if err != nil {
		return err
	}
	r, err := LookupResolver(scheme)
	if err != nil {
		for _, k := range KnownSchemes {
			if k == scheme {
				return nil
			}
		}
		return err
	}
	if rc, ok := r.(RefChecker); ok {
		if err := rc.CheckRef(rest); err != nil {
			return fmt.Errorf("reference %q: %w", scheme+":", err)
		}
	}
	return nil
}
