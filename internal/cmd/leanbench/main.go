// Command leanbench builds programs side by side and compares them: a
// pgx-only program, the same with Tink's packages linked but unused (what
// linking Tink and protobuf alone would cost; vap links neither), pgx
// making the two connections a PostgreSQL store needs (the store lookup,
// then the database: the floor under that setup), the PostgreSQL-only vap Flow
// (examples/lean), the PostgreSQL type on the embedded store
// (testdata/pgsqlite), the all-types vap Flow (import
// github.com/vapsql/vap/driver), and the all-types Flow built from an older
// commit (-baseline) for "no slower than before". It reports binary
// sizes, `go list -deps` package and module counts, and the cold start
// (open, SELECT 1, exit) of each as min and median wall time, CPU time and
// peak RSS (through /usr/bin/time when present) over -n runs, interleaved
// in a new random order each round so that machine noise, and the server
// still closing the previous program's connections, fall on every program
// alike.
//
// The vap Flows resolve their connection from a PostgreSQL store (the team
// setup: VAP_STORE=postgres://…, VAP_KEYSET_FILE) on a fresh schema, and
// again from VAP_CONN_<NAME> (no store at all); the embedded-store program
// resolves it from the default SQLite store file in VAP_HOME. Wall-time
// ratios are given on medians and on minimums (on a loaded host the
// minimum is the better estimate of an undisturbed start); the load
// average is printed with them. It needs
// PostgreSQL on -pg (default the test server) and is run by hand, not in
// CI:
//
//	go run ./internal/cmd/leanbench -n 40 -baseline main
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	_ "github.com/vapsql/vap/registry/postgres"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/keyset"
	_ "github.com/vapsql/vap/store/postgres"
	_ "github.com/vapsql/vap/store/sqlite"
)

func main() {
	n := flag.Int("n", 30, "runs per program")
	pg := flag.String("pg", "postgres://root@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL admin URL: the store and the database queried")
	baseline := flag.String("baseline", "", "git ref whose all-types build to measure too (e.g. main)")
	inittrace := flag.Bool("inittrace", false, "also print each program's slowest package inits (GODEBUG=inittrace=1)")
	flag.BoolVar(&keep, "keep", false, "keep the programs, the keyset and the SQLite store in the temporary directory (to profile them: perf record … prog1 bench); the PostgreSQL schema is dropped all the same")
	flag.Parse()
	if err := run(*n, *pg, *baseline, *inittrace); err != nil {
		log.Fatal(err)
	}
}

var keep bool // -keep

type program struct {
	name, pkg, dir string // dir: module root to build in
	sqlite         bool   // run only from the embedded store
	direct         bool   // takes the PostgreSQL URL, as the pgx-only program
	floor          bool   // takes the PostgreSQL URL and reads the store's schema (LEANBENCH_SCHEMA)
	bin            string
	size           int64
	pkgs, mods     int
}

type scenario struct {
	name      string
	prog      *program
	arg       string
	env       []string
	pgStore   bool // resolves from the PostgreSQL store: also set against the two-connection floor
	wall, cpu []time.Duration
	rss       []int64 // KiB
}

func run(n int, pgURL, baseline string, inittrace bool) error {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "leanbench-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Fprintf(os.Stderr, "leanbench: keeping %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}

	progs := []*program{
		{name: "pgx only", pkg: "./internal/cmd/leanbench/testdata/pgx", dir: "."},
		{name: "pgx + Tink linked, unused (no vap)", pkg: "./pgxtink", dir: "internal/tinkcompat", direct: true}, // Tink is required there, not by vap
		{name: "pgx, store lookup then SELECT 1 (two connections, no vap)", pkg: "./internal/cmd/leanbench/testdata/pgxtwo", dir: ".", floor: true},
		{name: "vap PostgreSQL-only (examples/lean)", pkg: "./examples/lean", dir: "."},
		{name: "vap PostgreSQL type + embedded store", pkg: "./internal/cmd/leanbench/testdata/pgsqlite", dir: ".", sqlite: true},
		{name: "vap all types (import driver)", pkg: "./internal/cmd/leanbench/testdata/all", dir: "."},
	}
	if baseline != "" {
		base := filepath.Join(tmp, "baseline")
		if err := checkout(baseline, base); err != nil {
			return err
		}
		src, err := os.ReadFile("internal/cmd/leanbench/testdata/all/main.go")
		if err != nil {
			return err
		}
		os.MkdirAll(filepath.Join(base, "leanbenchall"), 0o755)
		if err := os.WriteFile(filepath.Join(base, "leanbenchall", "main.go"), src, 0o644); err != nil {
			return err
		}
		progs = append(progs, &program{name: "vap all types @" + baseline, pkg: "./leanbenchall", dir: base})
	}
	for i, p := range progs {
		p.bin = filepath.Join(tmp, fmt.Sprintf("prog%d", i))
		if err := build(p); err != nil {
			return err
		}
	}

	// The store: a fresh schema of the server, a keyset file, one connection.
	keyFile := filepath.Join(tmp, "keyset.json")
	h, err := store.NewKeyset()
	if err != nil {
		return err
	}
	if err := keyset.Write(keyFile, h); err != nil {
		return err
	}
	var rb [4]byte
	rand.Read(rb[:])
	schema := "vap_leanbench_" + hex.EncodeToString(rb[:])
	u, err := url.Parse(pgURL)
	if err != nil {
		return fmt.Errorf("-pg does not parse")
	}
	q := u.Query()
	q.Set("schema", schema)
	su := *u
	su.RawQuery = q.Encode()
	st := store.Open(store.WithURL(su.String()), store.WithKeyset(h), store.WithoutEnvOverrides())
	defer func() {
		st.Close()
		if conn, err := pgx.Connect(ctx, pgURL); err == nil {
			conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
			conn.Close(ctx)
		}
	}()
	fields := map[string]string{"host": u.Hostname(), "port": u.Port(), "user_name": u.User.Username(), "dbname": strings.TrimPrefix(u.Path, "/")}
	if fields["port"] == "" {
		fields["port"] = "5432"
	}
	c := &store.Connection{Name: "bench", Type: "postgresql"}
	for k, v := range fields {
		c.Set(k, v, false)
	}
	c.Set("options.sslmode", u.Query().Get("sslmode"), false)
	if err := st.Create(ctx, c); err != nil {
		return err
	}
	envConn, _ := json.Marshal(map[string]any{"connection_type": "postgresql", "host": fields["host"], "port": fields["port"],
		"user_name": fields["user_name"], "dbname": fields["dbname"], "options": map[string]string{"sslmode": u.Query().Get("sslmode")}})

	home := filepath.Join(tmp, "home")
	os.MkdirAll(home, 0o700)
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "VAP_HOME=" + home}
	storeEnv := append(slices.Clone(base), "VAP_STORE="+su.String(), "VAP_KEYSET_FILE="+keyFile)
	connEnv := append(slices.Clone(base), "VAP_CONN_BENCH="+string(envConn))

	// The embedded store: the default store file and keyset of a home of
	// its own, as `vap conn create` leaves them.
	sqlHome := filepath.Join(tmp, "sqlhome")
	os.MkdirAll(sqlHome, 0o700)
	local := store.Open(store.WithHome(sqlHome), store.WithLookupEnv(func(string) (string, bool) { return "", false }))
	if err := local.Create(ctx, c); err != nil {
		local.Close()
		return err
	}
	local.Close()
	sqliteEnv := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "VAP_HOME=" + sqlHome}

	scens := []*scenario{{name: progs[0].name, prog: progs[0], arg: pgURL, env: base}}
	for _, p := range progs[1:] {
		if p.direct {
			scens = append(scens, &scenario{name: p.name, prog: p, arg: pgURL, env: base})
			continue
		}
		if p.floor {
			scens = append(scens, &scenario{name: p.name, prog: p, arg: pgURL, env: append(slices.Clone(base), "LEANBENCH_SCHEMA="+schema)})
			continue
		}
		if p.sqlite {
			scens = append(scens, &scenario{name: p.name + ", SQLite store file", prog: p, arg: "bench", env: sqliteEnv})
			continue
		}
		scens = append(scens,
			&scenario{name: p.name + ", PostgreSQL store", prog: p, arg: "bench", env: storeEnv, pgStore: true},
			&scenario{name: p.name + ", VAP_CONN_BENCH", prog: p, arg: "bench", env: connEnv})
	}
	for _, s := range scens { // warm the page cache, check it works
		if err := once(s); err != nil {
			return err
		}
		s.wall, s.cpu, s.rss = nil, nil, nil
	}
	if inittrace {
		for _, s := range scens {
			printInits(s)
		}
	}
	loadBefore := loadavg()
	// Each round runs every scenario once, in a new random order: a
	// scenario that ends with server connections closing (the server's
	// backends still exiting) must not always precede the same one.
	for range n {
		for _, i := range mrand.Perm(len(scens)) {
			if err := once(scens[i]); err != nil {
				return err
			}
		}
	}

	fmt.Printf("| build | binary | packages | modules |\n|---|---:|---:|---:|\n")
	for _, p := range progs {
		fmt.Printf("| %s | %.1f MiB (%.2fx) | %d | %d |\n", p.name, float64(p.size)/(1<<20), float64(p.size)/float64(progs[0].size), p.pkgs, p.mods)
	}
	fmt.Printf("\n%d cold starts each (open, SELECT 1, exit), min / median; load average %s before, %s after:\n\n", n, loadBefore, loadavg())
	fmt.Printf("| program, connection from | wall | CPU | peak RSS | wall vs pgx (median) | wall vs pgx (min) | CPU vs pgx (median) |\n|---|---:|---:|---:|---:|---:|---:|\n")
	ref := scens[0]
	for _, s := range scens {
		fmt.Printf("| %s | %s / %s | %s / %s | %.1f / %.1f MiB | %.2fx | %.2fx | %.2fx |\n", s.name,
			ms(minD(s.wall)), ms(median(s.wall)), ms(minD(s.cpu)), ms(median(s.cpu)),
			float64(slices.Min(s.rss))/1024, float64(medianI(s.rss))/1024, s.wallMedianVs(ref), s.wallMinVs(ref), s.cpuMedianVs(ref))
	}
	// A PostgreSQL store costs a second server connection before the
	// database's: set each store scenario against that floor.
	for _, f := range scens {
		if !f.prog.floor {
			continue
		}
		for _, s := range scens {
			if s.pgStore {
				fmt.Printf("\n%s vs %s: wall %.2fx (median), %.2fx (min); CPU %.2fx (median)", s.name, f.name,
					s.wallMedianVs(f), s.wallMinVs(f), s.cpuMedianVs(f))
			}
		}
		fmt.Println()
	}
	return nil
}

// The ratios of s's times to ref's.
func (s *scenario) wallMedianVs(ref *scenario) float64 {
	return float64(median(s.wall)) / float64(median(ref.wall))
}

func (s *scenario) wallMinVs(ref *scenario) float64 {
	return float64(minD(s.wall)) / float64(minD(ref.wall))
}

func (s *scenario) cpuMedianVs(ref *scenario) float64 {
	return float64(median(s.cpu)) / float64(median(ref.cpu))
}

// loadavg is the 1-minute load average (Linux), or "?".
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

// checkout writes the tree of git ref into dir.
func checkout(ref, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cmd := exec.Command("sh", "-c", `git archive "$1" | tar -x -C "$2"`, "sh", ref, dir)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git archive %s: %w", ref, err)
	}
	return nil
}

func build(p *program) error {
	cmd := exec.Command("go", "build", "-o", p.bin, p.pkg)
	cmd.Dir = p.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build %s: %v\n%s", p.name, err, out)
	}
	fi, err := os.Stat(p.bin)
	if err != nil {
		return err
	}
	p.size = fi.Size()
	list := func(format string) ([]string, error) {
		cmd := exec.Command("go", "list", "-deps", "-f", format, p.pkg)
		cmd.Dir = p.dir
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go list %s: %w", p.pkg, err)
		}
		return strings.Fields(string(out)), nil
	}
	pkgs, err := list("{{.ImportPath}}")
	if err != nil {
		return err
	}
	mods, err := list("{{with .Module}}{{.Path}}{{end}}")
	if err != nil {
		return err
	}
	slices.Sort(mods)
	p.pkgs, p.mods = len(pkgs), len(slices.Compact(mods))
	return nil
}

// gnuTime is GNU time, which reports a child's own peak RSS. The rusage
// wait4 returns for a child exec'd from this (large) process would carry
// this process's high-water mark instead.
var gnuTime, _ = exec.LookPath("/usr/bin/time")

func once(s *scenario) error {
	cmd := exec.Command(s.prog.bin, s.arg)
	rssFile := ""
	if gnuTime != "" {
		f, err := os.CreateTemp("", "leanbench-rss-")
		if err != nil {
			return err
		}
		f.Close()
		defer os.Remove(f.Name())
		rssFile = f.Name()
		cmd = exec.Command(gnuTime, "-f", "%M", "-o", rssFile, s.prog.bin, s.arg)
	}
	cmd.Env = s.env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil || strings.TrimSpace(string(out)) != "1" {
		return fmt.Errorf("%s: %v %s", s.name, err, out)
	}
	ps := cmd.ProcessState
	s.wall = append(s.wall, wall)
	s.cpu = append(s.cpu, ps.UserTime()+ps.SystemTime())
	if rssFile != "" {
		data, err := os.ReadFile(rssFile)
		if err != nil {
			return err
		}
		var kib int64
		if _, err := fmt.Sscan(string(data), &kib); err != nil {
			return fmt.Errorf("%s: GNU time wrote %q", s.name, data)
		}
		s.rss = append(s.rss, kib)
	} else if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		s.rss = append(s.rss, ru.Maxrss) // an upper bound: see gnuTime
	}
	return nil
}

// printInits runs s once with GODEBUG=inittrace=1 and prints the total
// package-init clock time and the slowest inits.
func printInits(s *scenario) {
	cmd := exec.Command(s.prog.bin, s.arg)
	cmd.Env = append(slices.Clone(s.env), "GODEBUG=inittrace=1")
	out, _ := cmd.CombinedOutput()
	type ini struct {
		pkg string
		ms  float64
	}
	var all []ini
	var total float64
	for _, line := range strings.Split(string(out), "\n") {
		// init github.com/x/y @1.2 ms, 0.31 ms clock, 1024 bytes, 9 allocs
		f := strings.Fields(line)
		if len(f) < 6 || f[0] != "init" {
			continue
		}
		var v float64
		fmt.Sscanf(f[4], "%g", &v)
		total += v
		all = append(all, ini{f[1], v})
	}
	slices.SortFunc(all, func(a, b ini) int {
		switch {
		case a.ms > b.ms:
			return -1
		case a.ms < b.ms:
			return 1
		}
		return 0
	})
	fmt.Printf("%s: package init %.2f ms clock in %d packages; slowest:", s.name, total, len(all))
	for _, i := range all[:min(6, len(all))] {
		fmt.Printf(" %s %.2f ms;", i.pkg, i.ms)
	}
	fmt.Println()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }

func minD(d []time.Duration) time.Duration { return slices.Min(d) }

func median(d []time.Duration) time.Duration {
	s := slices.Sorted(slices.Values(d))
	return s[len(s)/2]
}

func medianI(d []int64) int64 {
	s := slices.Sorted(slices.Values(d))
	return s[len(s)/2]
}
