package conformance_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
)

// scramCluster is a private PostgreSQL cluster that authenticates every TCP
// connection with scram-sha-256, so a wrong password is refused.
type scramCluster struct {
	port  int
	admin *sql.DB
}

// pgBinDir finds the directory of initdb and pg_ctl: from pg_config, else
// the newest /usr/lib/postgresql/*/bin.
func pgBinDir() (string, error) {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		d := string(out[:len(out)-1])
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return va - vb
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", errors.New("initdb not found (pg_config --bindir, /usr/lib/postgresql/*/bin)")
}

// startScramCluster runs initdb and starts the cluster on a free loopback
// port, as user postgres when the test runs as root (PostgreSQL refuses to
// run as root). It stops and removes the cluster when the test ends.
func startScramCluster(t *testing.T) *scramCluster {
	t.Helper()
	bin, err := pgBinDir()
	if err != nil {
		testenv.Unavailable(t, "PostgreSQL server binaries", "PATH (pg_config)", err)
	}
	var asUser []string
	uid, gid := -1, -1
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			testenv.Unavailable(t, "user postgres to run a private cluster as", "PATH", err)
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	dir, err := os.MkdirTemp("", "vap-scram-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	adminPW := "admin-" + randHex()
	pwfile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwfile, []byte(adminPW+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if uid >= 0 {
		for _, p := range []string{dir, pwfile} {
			if err := os.Chown(p, uid, gid); err != nil {
				t.Fatal(err)
			}
		}
	}
	run := func(args ...string) error {
		full := append(slices.Clone(asUser), args...)
		out, err := exec.Command(full[0], full[1:]...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v\n%s", filepath.Base(args[0]), err, out)
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := run(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "scram-sha-256",
		"--pwfile", pwfile, "--no-sync", "--no-locale", "-E", "UTF8"); err != nil {
		testenv.Unavailable(t, "a private PostgreSQL cluster (initdb)", "PATH", err)
	}
	pgctl := filepath.Join(bin, "pg_ctl")
	var port int
	for attempt := 0; ; attempt++ {
		port = freePort(t)
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=16MB -c max_connections=100", port, dir)
		err = run(pgctl, "-D", data, "-w", "-t", "60", "-l", filepath.Join(dir, "log"), "-o", opts, "start")
		if err == nil {
			break
		}
		if attempt == 2 {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			testenv.Unavailable(t, "a private PostgreSQL cluster (pg_ctl start)", "PATH", fmt.Errorf("%v\n%s", err, log))
		}
	}
	t.Cleanup(func() { run(pgctl, "-D", data, "-m", "immediate", "stop") })

	u := url.URL{Scheme: "postgres", User: url.UserPassword("postgres", adminPW), Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Path: "/postgres", RawQuery: "sslmode=disable"}
	admin, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("private cluster on port %d: %v", port, err)
	}
	return &scramCluster{port: port, admin: admin}
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
