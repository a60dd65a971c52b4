package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// Environment variables read by the store.
const (
	EnvHome        = "VAP_HOME"        // directory of the default store and keyset
	EnvStore       = "VAP_STORE"       // store URL or path; default $VAP_HOME/store.db
	EnvKeyset      = "VAP_KEYSET"      // cleartext Tink JSON keyset
	EnvKeysetFile  = "VAP_KEYSET_FILE" // path of a keyset file (mode 0600)
	EnvConnPrefix  = "VAP_CONN_"       // VAP_CONN_<NAME>: connection_data JSON overriding the store
	StoreFileName  = "store.db"        // the embedded store's file name inside VAP_HOME
	defaultHomeDir = "vap"
)

// EnvName returns the variable that overrides connection name: VAP_CONN_
// followed by the name upper-cased, every character other than an ASCII
// letter or digit written as "_". "my-postgres-connection" gives
// VAP_CONN_MY_POSTGRES_CONNECTION.
func EnvName(name string) string {
	var b strings.Builder
	b.WriteString(EnvConnPrefix)
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Home returns the vap home directory: $VAP_HOME, else $XDG_CONFIG_HOME/vap,
// else ~/.config/vap.
func Home(lookupEnv func(string) (string, bool)) (string, error) {
	if lookupEnv == nil {
		lookupEnv = os.LookupEnv
	}
	if h, ok := lookupEnv(EnvHome); ok && h != "" {
		return h, nil
	}
	if x, ok := lookupEnv("XDG_CONFIG_HOME"); ok && x != "" {
		return filepath.Join(x, defaultHomeDir), nil
	}
	u, err := os.UserHomeDir()
	if err != nil || u == "" {
		return "", errors.New("store: cannot find a home directory; set VAP_HOME")
	}
	return filepath.Join(u, ".config", defaultHomeDir), nil
}
