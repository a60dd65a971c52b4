package orapeer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
)

const pythonPath = "/usr/bin/python3"

// TestPythonThinClient runs Debian's python3-oracledb (thin mode), an
// Oracle client written independently of go-ora, against the peer: it
// must log in (answering its NA services packet), bind, read typed values,
// survive an error and be refused a wrong password.
func TestPythonThinClient(t *testing.T) {
	if err := exec.Command(pythonPath, "-c", "import oracledb").Run(); err != nil {
		if testenv.Required() {
			t.Fatalf("python3-oracledb is missing and %s=1: %v (apt-get install python3-oracledb)", testenv.EnvRequire, err)
		}
		t.Skipf("python3-oracledb is not installed (%v): apt-get install python3-oracledb to run this test", err)
	}
	p := startPeer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, pythonPath, "testdata/thin_client.py")
	cmd.Env = append(os.Environ(), "ORA_DSN="+p.Address()+"/"+p.Service(), "ORA_USER="+testUser, "ORA_PASSWORD="+testPassword)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python client: %v\nstdout:\n%s\nstderr:\n%s", err, out, stderr.String())
	}
	got := map[string]map[string]any{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("bad output line %q: %v", sc.Text(), err)
		}
		got[m["check"].(string)] = m
	}
	if c := got["connect"]; c == nil || c["thin"] != true || c["version"] != "19.3.0.0.0" {
		t.Fatalf("connect: %v", c)
	}
	sel := got["select"]
	wantRows := `[[1,12.5,0.25,"héllo","2024-01-02T03:04:05","0102"],[2,null,null,null,null,null]]`
	if b, _ := json.Marshal(sel["rows"]); string(b) != wantRows {
		t.Fatalf("select rows = %s, want %s", b, wantRows)
	}
	if b, _ := json.Marshal(sel["types"]); string(b) != `["int","float","float","str","datetime","bytes"]` {
		t.Fatalf("select types = %s", b)
	}
	if c := got["levels"]; c == nil || c["count"] != float64(500) {
		t.Fatalf("levels: %v", c)
	}
	if e, _ := got["divide"]["error"].(string); !strings.HasPrefix(e, "ORA-01476: divisor is equal to zero") {
		t.Fatalf("divide: %v", got["divide"])
	}
	if got["after_error"]["value"] != "wx" {
		t.Fatalf("after error: %v", got["after_error"])
	}
	e, _ := got["wrong_password"]["error"].(string)
	if !strings.Contains(e, "ORA-01017") || strings.Contains(e, testPassword) {
		t.Fatalf("wrong password: %q", e)
	}
}
