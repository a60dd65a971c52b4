package tdspeer_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/tdspeer"
)

// needClient skips the test when an independent client is missing, or
// fails it when servers are required (VAP_TEST_REQUIRE_SERVERS=1, as in
// CI, which installs .ci/apt-packages).
func needClient(t *testing.T, what, pkg string, err error) {
	t.Helper()
	if testenv.Required() {
		t.Fatalf("%s unavailable and %s=1: %v (apt-get install %s)", what, testenv.EnvRequire, err, pkg)
	}
	t.Skipf("%s unavailable (%v): apt-get install %s", what, err, pkg)
}

// TestFreeTDS proves a client that shares no code with go-mssqldb,
// FreeTDS's tsql (Debian freetds-bin), logs in over TLS verified against
// the peer's CA, reads typed results and gets SQL Server's error 102 for
// a syntax error.
func TestFreeTDS(t *testing.T) {
	tsql, err := exec.LookPath("tsql")
	if err != nil {
		needClient(t, "FreeTDS tsql", "freetds-bin", err)
	}
	p := startPeer(t, tdspeer.Config{})
	conf := filepath.Join(t.TempDir(), "freetds.conf")
	body := fmt.Sprintf("[peer]\n\thost = localhost\n\tport = %d\n\ttds version = 7.4\n\tencryption = require\n\tca file = %s\n", p.Port(), p.CAFile())
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(password, script string) string {
		ctx, cancel := context.WithTimeout(testContext(t), 60e9)
		defer cancel()
		cmd := exec.CommandContext(ctx, tsql, "-S", "peer", "-U", testUser, "-P", password, "-D", p.Database())
		cmd.Env = append(os.Environ(), "FREETDSCONF="+conf, "TDSDUMP=")
		cmd.Stdin = strings.NewReader(script)
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	out := run(testPassword, "SELECT CAST(42 AS INT) AS n, N'héllo ✓' AS s, CAST(1.50 AS DECIMAL(5,2)) AS d, CAST(NULL AS INT) AS z, CAST('2024-02-29' AS DATE) AS dt\ngo\nSELEC 1\ngo\n")
	for _, want := range []string{
		"n\ts\td\tz\tdt",
		"42\théllo ✓\t1.50\tNULL\tFeb 29 2024 12:00AM", // FreeTDS formats dates so
		"(1 row affected)",
		"Msg 102 (severity 15, state 1)",
		`"Incorrect syntax near 'SELEC'."`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("tsql output lacks %q:\n%s", want, out)
		}
	}
	if st := p.Stats(); st.Logins != 1 {
		t.Errorf("stats %+v, want one login", st)
	}
	out = run("wrong-password", "SELECT 1\ngo\n")
	if !strings.Contains(out, "Msg 18456") || !strings.Contains(out, "Login failed for user '"+testUser+"'.") {
		t.Errorf("wrong password: tsql output lacks 18456:\n%s", out)
	}
}

// TestPytds proves python3-tds (pytds, pure Python) does the same over
// TLS verified with the peer's CA: typed values, a parameter, error 102.
func TestPytds(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import pytds").Run(); err != nil {
		needClient(t, "pytds ("+python+")", "python3-tds", err)
	}
	p := startPeer(t, tdspeer.Config{})
	script := `
import sys, pytds
conn = pytds.connect(server='localhost', port=int(sys.argv[1]), user=sys.argv[2], password=sys.argv[3],
                     database=sys.argv[4], cafile=sys.argv[5], validate_host=True)
cur = conn.cursor()
cur.execute("SELECT CAST(42 AS INT) AS n, N'héllo' AS s, CAST(2.25 AS DECIMAL(5,2)) AS d, CAST('2024-01-02' AS DATE) AS dt, CAST(NULL AS INT) AS z, CAST(1 AS BIT) AS b")
print(repr(cur.fetchall()))
print(repr([c[0] for c in cur.description]))
cur.execute("SELECT %s AS p", ("x",))
print(repr(cur.fetchall()))
try:
    cur.execute("SELEC 1")
except pytds.ProgrammingError as e:
    print("error", e.msg_no, e)
`
	ctx := testContext(t)
	out, err := exec.CommandContext(ctx, python, "-c", script, strconv.Itoa(p.Port()), testUser, testPassword, p.Database(), p.CAFile()).CombinedOutput()
	if err != nil {
		t.Fatalf("pytds: %v\n%s", err, out)
	}
	for _, want := range []string{
		"[(42, 'héllo', Decimal('2.25'), datetime.date(2024, 1, 2), None, True)]",
		"['n', 's', 'd', 'dt', 'z', 'b']",
		"[('x',)]",
		"error 102 Incorrect syntax near 'SELEC'.",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pytds output lacks %q:\n%s", want, out)
		}
	}
}
