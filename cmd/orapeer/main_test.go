package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	goora "github.com/sijms/go-ora/v2"

	"github.com/vapsql/vap/peer/orapeer"
)

// TestServesUntilStdinCloses runs the command with -until-stdin-eof, reads
// the announced endpoint, queries the peer through go-ora and closes stdin:
// the command must return 0.
func TestServesUntilStdinCloses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stdinR, stdinW := io.Pipe()
	outR, outW := io.Pipe()
	var stderr bytes.Buffer
	env := func(k string) string {
		if k == "ORAPEER_PASSWORD" {
			return "cmd-Secret1"
		}
		return ""
	}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"-user", "cmduser", "-service", "CMDSVC", "-until-stdin-eof"}, env, stdinR, outW, &stderr)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("read endpoint: %v (stderr %q)", err, stderr.String())
	}
	if strings.Contains(line, "cmd-Secret1") {
		t.Fatalf("endpoint line holds the password: %s", line)
	}
	var ep orapeer.Endpoint
	if err := json.Unmarshal([]byte(line), &ep); err != nil || ep.Port == 0 || ep.Service != "CMDSVC" {
		t.Fatalf("endpoint %q: %+v, %v", line, ep, err)
	}
	u := url.URL{Scheme: "oracle", User: url.UserPassword("cmduser", "cmd-Secret1"), Host: ep.Address, Path: "/" + ep.Service}
	db := sql.OpenDB(goora.NewConnector(u.String()))
	var n int
	if err := db.QueryRowContext(ctx, "SELECT 40 + 2 FROM DUAL").Scan(&n); err != nil || n != 42 {
		t.Fatalf("query = %d, %v", n, err)
	}
	db.Close()
	go io.Copy(io.Discard, outR)
	stdinW.Close()
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit code %d (stderr %q)", c, stderr.String())
		}
	case <-ctx.Done():
		t.Fatal("the command did not stop when stdin closed")
	}
}

func TestRefusesMissingPassword(t *testing.T) {
	var stderr bytes.Buffer
	if c := run(context.Background(), []string{"-user", "u"}, func(string) string { return "" }, strings.NewReader(""), io.Discard, &stderr); c != 2 {
		t.Fatalf("exit code %d, want 2", c)
	}
	if !strings.Contains(stderr.String(), "password") {
		t.Fatalf("stderr %q does not say what is missing", stderr.String())
	}
}
