package credential_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/credential"
)

func TestEnvResolver(t *testing.T) {
	c := credential.NewCache()
	ctx := context.Background()
	t.Setenv("VAP_CRED_TEST_SET", "env-value-1")
	t.Setenv("VAP_CRED_TEST_EMPTY", "")
	if s, err := c.Resolve(ctx, "env:VAP_CRED_TEST_SET"); err != nil || s.Value != "env-value-1" {
		t.Fatalf("%v %v", s, err)
	}
	for ref, want := range map[string]string{
		"env:VAP_CRED_TEST_UNSET_42": "VAP_CRED_TEST_UNSET_42 is not set",
		"env:VAP_CRED_TEST_EMPTY":    "VAP_CRED_TEST_EMPTY is empty",
		"env:1ABC":                   "env:VARIABLE",
		"env:A=B":                    "env:VARIABLE",
	} {
		if _, err := c.Resolve(ctx, ref); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", ref, err, want)
		}
	}
}

func TestFileResolver(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, content string
		mode          os.FileMode
		want, err     string
	}{
		{"plain", "file-secret-1", 0o600, "file-secret-1", ""},
		{"newline", "file-secret-2\n", 0o400, "file-secret-2", ""},
		{"crlf", "file-secret-3\r\n", 0o600, "file-secret-3", ""},
		{"two newlines", "file-secret-4\n\n", 0o600, "file-secret-4\n", ""},
		{"inner newline", "line1\nline2\n", 0o600, "line1\nline2", ""},
		{"group readable", "file-secret-5", 0o640, "", "mode 0640"},
		{"other readable", "file-secret-6", 0o604, "", "mode 0604"},
		{"group writable", "file-secret-7", 0o620, "", "chmod 600"},
		{"empty", "\n", 0o600, "", "is empty"},
		{"too large", strings.Repeat("x", credential.MaxFileSecret+1), 0o600, "", "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := write(strings.ReplaceAll(tc.name, " ", "-"), tc.content, tc.mode)
			s, err := credential.NewCache().Resolve(ctx, "file:"+p)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				if strings.Contains(err.Error(), tc.content) && len(tc.content) > 2 {
					t.Fatal("the error holds the file's content")
				}
				return
			}
			if err != nil || s.Value != tc.want {
				t.Fatalf("%q %v, want %q", s.Value, err, tc.want)
			}
		})
	}
	for ref, want := range map[string]string{
		"file:" + dir:                     "not a regular file",
		"file:" + filepath.Join(dir, "x"): "no such file",
		"file:relative/path":              "ABSOLUTE",
		"file:/a/../b":                    "clean absolute path",
	} {
		if _, err := credential.NewCache().Resolve(ctx, ref); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", ref, err, want)
		}
	}
	// A symbolic link to a private file is followed (Kubernetes mounts
	// secrets as links into ..data).
	target := write("target", "linked-secret-1\n", 0o600)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if s, err := credential.NewCache().Resolve(ctx, "file:"+link); err != nil || s.Value != "linked-secret-1" {
		t.Fatalf("symlink: %v", err)
	}
}

func TestCheckRef(t *testing.T) {
	for ref, want := range map[string]string{
		"env:PGPASSWORD":                           "",
		"file:/run/secrets/pg":                     "",
		"vault:secret/pg#password":                 "", // known, maybe not linked
		"vault-db:database/creds/app":              "",
		"aws-sm:prod/pg#password":                  "",
		"gcp-sm:projects/p/secrets/s/versions/1#k": "",
		"nosuch:x":   `unknown secret reference scheme "nosuch"`,
		"PGPASSWORD": "SCHEME:REST",
		"Env:X":      "SCHEME:REST",
		"env:":       "nothing after",
		"env:X\n":    "control character",
		"env:" + strings.Repeat("A", credential.MaxRefLen): "limit",
		"env:\xff": "UTF-8",
	} {
		err := credential.CheckRef(ref)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("CheckRef(%q) = %v, want %q", ref, err, want)
		}
	}
}
