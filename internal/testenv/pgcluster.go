package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// PrivatePostgres is a throw-away PostgreSQL cluster that checks passwords
// (scram-sha-256 for every connection), for tests that must prove a
// password reaches the server: the machine's cluster trusts loopback.
type PrivatePostgres struct {
	Port          int
	AdminUser     string
	AdminPassword string
	dir           string
	bin           string
	runAs         string
}

// AdminURL is a pgx URL for the superuser.
func (p *PrivatePostgres) AdminURL() string {
	return fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/postgres?sslmode=disable", p.AdminUser, p.AdminPassword, p.Port)
}

// Admin opens a pgx handle as the superuser; it is closed with the test.
func (p *PrivatePostgres) Admin(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", p.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// pgBinDir finds the directory of initdb and pg_ctl: pg_config's, else the
// newest /usr/lib/postgresql/<major>/bin that has initdb.
func pgBinDir() (string, error) {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		d := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(m) == 0 {
		return "", fmt.Errorf("initdb not found (pg_config --bindir, /usr/lib/postgresql/*/bin; install postgresql)")
	}
	major := func(initdb string) int {
		n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
		return n
	}
	slices.SortFunc(m, func(a, b string) int { return major(a) - major(b) })
	return filepath.Dir(m[len(m)-1]), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// StartPrivatePostgres initialises and starts a private cluster on a free
// loopback port, stopped and removed when the test ends. As root it runs the
// server as the postgres user (initdb refuses root).
func StartPrivatePostgres(t testing.TB) *PrivatePostgres {
	t.Helper()
	fail := func(err error) {
		t.Helper()
		Unavailable(t, "a private PostgreSQL cluster (initdb)", "PATH to PostgreSQL's initdb", err)
	}
	bin, err := pgBinDir()
	if err != nil {
		fail(err)
		return nil
	}
	p := &PrivatePostgres{AdminUser: "vap_admin", AdminPassword: "admin-pw-" + strconv.FormatInt(time.Now().UnixNano(), 36), bin: bin}
	dir, err := os.MkdirTemp("", "vap-pgcluster-")
	if err != nil {
		t.Fatal(err)
	}
	p.dir = dir
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			fail(fmt.Errorf("running as root and no postgres user: %w", err))
			return nil
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		p.runAs = "postgres"
	}
	pwfile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwfile, []byte(p.AdminPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if p.runAs != "" {
		u, _ := user.Lookup(p.runAs)
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(pwfile, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := p.cmd("initdb", "-D", data, "-U", p.AdminUser, "--pwfile", pwfile, "-A", "scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync").CombinedOutput(); err != nil {
		fail(fmt.Errorf("initdb: %v: %s", err, out))
		return nil
	}
	for attempt := 0; ; attempt++ {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		p.Port = port
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=16MB -c max_connections=100", port, dir)
		out, err := p.cmd("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start").CombinedOutput()
		if err == nil {
			break
		}
		if attempt == 2 {
			logb, _ := os.ReadFile(filepath.Join(dir, "log"))
			fail(fmt.Errorf("pg_ctl start: %v: %s %s", err, out, logb))
			return nil
		}
	}
	t.Cleanup(func() { p.cmd("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop").Run() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db := p.Admin(t)
	for {
		if err = db.PingContext(ctx); err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("private cluster did not answer: %v", err)
	}
	return p
}

func (p *PrivatePostgres) cmd(name string, args ...string) *exec.Cmd {
	path := filepath.Join(p.bin, name)
	if p.runAs != "" {
		return exec.Command("runuser", append([]string{"-u", p.runAs, "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}
