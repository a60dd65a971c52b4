package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/hubwire"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/keyset"
)

// lockedBuffer is a buffer the server goroutine writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestServe(t *testing.T) {
	home := t.TempDir()
	t.Setenv("VAP_HOME", home)
	t.Setenv("VAP_STORE", "")
	t.Setenv("VAP_KEYSET", "")
	t.Setenv("VAP_KEYSET_FILE", "")
	t.Setenv(EnvAPIToken, "")
	tokenFile := filepath.Join(home, "token")
	if err := os.WriteFile(tokenFile, []byte("file-token-91\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--token-file", tokenFile}, strings.NewReader(""), &stdout, &stderr)
	}()
	var base string
	deadline := time.Now().Add(30 * time.Second)
	for base == "" {
		if m := regexp.MustCompile(`http://\S+/controller/connection/`).FindString(stdout.String()); m != "" {
			base = m
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not start in 30s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	post := func(path, token, body string) int {
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("create/", "wrong", seedPayload); code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", code)
	}
	if code := post("create/", "file-token-91", seedPayload); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop 30s after its context ended")
	}
	if strings.Contains(stderr.String(), "secret-password") || !strings.Contains(stderr.String(), "status=201") {
		t.Fatalf("log: %s", stderr.String())
	}
	out, _, _ := cli(t, home, "", "conn", "list")
	if !strings.Contains(out, "my-postgres-connection") {
		t.Fatalf("the served store does not hold the connection: %q", out)
	}
}

func TestServeTokenRules(t *testing.T) {
	home := t.TempDir()
	loose := filepath.Join(home, "loose")
	os.WriteFile(loose, []byte("tok"), 0o644)
	empty := filepath.Join(home, "empty")
	os.WriteFile(empty, []byte(" \n"), 0o600)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no token", []string{"serve"}, 2, "VAP_API_TOKEN"},
		{"readable token file", []string{"serve", "--token-file", loose}, 1, "chmod 600"},
		{"empty token file", []string{"serve", "--token-file", empty}, 1, "empty"},
		{"missing token file", []string{"serve", "--token-file", filepath.Join(home, "nope")}, 1, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvAPIToken, "")
			_, errs, code := cli(t, home, "", tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d %q, want %d and %q", code, errs, tc.code, tc.want)
			}
		})
	}
}

// vap serve with only a hub token is the store hub: it needs no keyset
// (the keyset is moved away before it starts), serves the record sealed,
// a process with the keyset resolves it through vap+http://, and serve
// stops promptly although a watch stream is open.
func TestServeHub(t *testing.T) {
	home := t.TempDir()
	if _, errs, code := cli(t, home, seedPayload, "conn", "create", "-f", "-"); code != 0 {
		t.Fatalf("create: %s", errs)
	}
	ksPath := filepath.Join(t.TempDir(), "keyset.json")
	if err := os.Rename(filepath.Join(home, "keyset.json"), ksPath); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VAP_HOME", home)
	t.Setenv("VAP_STORE", "")
	t.Setenv("VAP_KEYSET", "")
	t.Setenv("VAP_KEYSET_FILE", "")
	t.Setenv(EnvAPIToken, "")
	t.Setenv(EnvHubToken, "hub-token-canary-42")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &stdout, &stderr)
	}()
	var addr string
	for deadline := time.Now().Add(30 * time.Second); addr == ""; time.Sleep(10 * time.Millisecond) {
		if m := regexp.MustCompile(`VAP_STORE=vap\+http://(\S+?)\)`).FindStringSubmatch(stdout.String()); m != nil {
			addr = m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not start in 30s")
		}
	}
	if strings.Contains(stdout.String(), "/controller/connection/") {
		t.Fatalf("serve without an admin token serves the admin API: %s", stdout.String())
	}
	req, _ := http.NewRequest("GET", "http://"+addr+hubwire.PathGet+"?name=my-postgres-connection", nil)
	req.Header.Set("Authorization", "Bearer hub-token-canary-42")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Contains(string(body), "secret-password") || !strings.Contains(string(body), `"s":true`) {
		t.Fatalf("hub get: %d %s", resp.StatusCode, body)
	}
	h, err := keyset.Load(ksPath)
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(store.WithURL("vap+http://"+addr), store.WithKeyset(h), store.WithoutEnvOverrides())
	defer st.Close()
	c, err := st.Resolve(context.Background(), "my-postgres-connection")
	if err != nil || c.Fields["password"].Value != "secret-password" {
		t.Fatalf("resolve through the hub: %v", err)
	}
	// An open watch stream must not hold serve up.
	wreq, _ := http.NewRequest("GET", "http://"+addr+hubwire.PathWatch, nil)
	wreq.Header.Set("Authorization", "Bearer hub-token-canary-42")
	wresp, err := http.DefaultClient.Do(wreq)
	if err != nil || wresp.StatusCode != 200 {
		t.Fatalf("watch: %v", err)
	}
	defer wresp.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		}
	case <-time.After(8 * time.Second):
		t.Fatal("serve did not stop 8 s after its context ended, with a watch stream open (Shutdown waits 10 s)")
	}
	if strings.Contains(stderr.String(), "hub-token-canary-42") {
		t.Fatalf("the log holds the hub token: %s", stderr.String())
	}
}

func TestServeHubTokenRules(t *testing.T) {
	home := t.TempDir()
	_, errs, code := cliEnv(t, home, []string{EnvAPIToken + "=same-token-canary", EnvHubToken + "=same-token-canary"}, "", "serve")
	if code != 2 || !strings.Contains(errs, "must differ") || strings.Contains(errs, "same-token-canary") {
		t.Fatalf("equal tokens: exit %d %q", code, errs)
	}
	_, errs, code = cliEnv(t, home, []string{EnvAPIToken + "=", EnvHubToken + "="}, "", "serve")
	if code != 2 || !strings.Contains(errs, EnvHubToken) {
		t.Fatalf("no token: exit %d %q", code, errs)
	}
}
