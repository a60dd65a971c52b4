package awssm_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/credential/awssm"
)

const (
	accessKey = "AKIDVAPTESTKEY000001"
	secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYVAPSECRETKEY" // the fake's static credentials
	password  = "s3cr3t-Pa55word-7f3a9c"                     // the stored secret
)

// fake is a local Secrets Manager: it answers GetSecretValue over the AWS
// JSON 1.1 protocol, refuses requests without a SigV4 Authorization header
// for the test credentials, and counts requests.
type fake struct {
	t        *testing.T
	requests atomic.Int64

	mu      sync.Mutex
	regions []string // the SigV4 credential scope's region, per request
	inputs  []map[string]string
	// reply answers by SecretId.
	reply map[string]func(w http.ResponseWriter)
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	body, _ := io.ReadAll(r.Body)
	auth := r.Header.Get("Authorization")
	// AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/secretsmanager/aws4_request, SignedHeaders=…, Signature=…
	prefix := "AWS4-HMAC-SHA256 Credential=" + accessKey + "/"
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=") || !strings.Contains(auth, "Signature=") || r.Header.Get("X-Amz-Date") == "" {
		apiError(w, 400, "MissingAuthenticationToken", "no SigV4 signature")
		return
	}
	if !strings.HasPrefix(auth, prefix) {
		apiError(w, 400, "UnrecognizedClientException", "The security token included in the request is invalid.")
		return
	}
	scope := strings.Split(strings.SplitN(auth[len(prefix):], ",", 2)[0], "/")
	if len(scope) != 4 || scope[2] != "secretsmanager" || scope[3] != "aws4_request" {
		apiError(w, 400, "IncompleteSignature", "bad scope")
		return
	}
	if r.Header.Get("X-Amz-Target") != "secretsmanager.GetSecretValue" {
		apiError(w, 400, "InvalidAction", "unexpected target "+r.Header.Get("X-Amz-Target"))
		return
	}
	var in map[string]string
	if err := json.Unmarshal(body, &in); err != nil {
		apiError(w, 400, "SerializationException", "bad body")
		return
	}
	f.mu.Lock()
	f.regions = append(f.regions, scope[1])
	f.inputs = append(f.inputs, in)
	reply := f.reply[in["SecretId"]]
	f.mu.Unlock()
	if reply == nil {
		apiError(w, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
		return
	}
	reply(w)
}

func apiError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"__type": code, "Message": msg})
}

func secretString(s string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		json.NewEncoder(w).Encode(map[string]any{"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:x", "Name": "x",
			"SecretString": s, "VersionId": "v1", "VersionStages": []string{"AWSCURRENT"}, "CreatedDate": 1.7e9})
	}
}

// start serves f and points the SDK's default chain at it: static
// credentials from the environment, a region, the endpoint override, and
// no shared files or instance metadata.
func start(t *testing.T) *fake {
	f := &fake{t: t, reply: map[string]func(http.ResponseWriter){}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secretKey, "AWS_SESSION_TOKEN": "",
		"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "", "AWS_PROFILE": "",
		"AWS_ENDPOINT_URL_SECRETS_MANAGER": srv.URL, "AWS_ENDPOINT_URL": "",
		"AWS_CONFIG_FILE": filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "2", "AWS_RETRY_MODE": "standard",
	} {
		t.Setenv(k, v)
	}
	return f
}

// noLeak fails when err's text holds the secret, the credentials, or an
// encoded or partial form of either.
func noLeak(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, s := range []string{password, secretKey, accessKey} {
		for _, form := range []string{s, url.QueryEscape(s), base64.StdEncoding.EncodeToString([]byte(s)), s[:8], s[len(s)-8:]} {
			if strings.Contains(msg, form) {
				t.Errorf("error %q holds a secret (%q)", msg, form)
			}
		}
	}
}

func resolve(ref string) (credential.Secret, error) {
	return awssm.New().Resolve(context.Background(), ref)
}

func TestRegistered(t *testing.T) {
	r, err := credential.LookupResolver("aws-sm")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.(*awssm.Resolver); !ok {
		t.Fatalf("aws-sm resolves with %T", r)
	}
}

func TestWholeStringAndKey(t *testing.T) {
	f := start(t)
	doc := `{"username":"app","password":"` + password + `","port":5432,"tls":true}`
	f.reply["prod/orders"] = secretString(doc)
	r := awssm.New()
	ctx := context.Background()
	for _, c := range []struct{ ref, want string }{
		{"prod/orders", doc},
		{"prod/orders#password", password},
		{"prod/orders#username", "app"},
		{"prod/orders#port", "5432"},
		{"prod/orders#tls", "true"},
	} {
		s, err := r.Resolve(ctx, c.ref)
		if err != nil {
			t.Fatalf("%s: %v", c.ref, err)
		}
		if s.Value != c.want {
			t.Errorf("%s = %q, want %q", c.ref, s.Value, c.want)
		}
		if !s.Expires.IsZero() {
			t.Errorf("%s: Expires %v, want zero (the caller's TTL)", c.ref, s.Expires)
		}
	}
	if n := f.requests.Load(); n != 5 {
		t.Errorf("%d requests for 5 resolutions, want 5", n)
	}
}

func TestVersionAndARNRegion(t *testing.T) {
	f := start(t)
	arn := "arn:aws:secretsmanager:eu-west-3:123456789012:secret:prod/orders-AbCdEf"
	f.reply[arn] = secretString(`{"password":"` + password + `"}`)
	f.reply["prod/orders"] = secretString(password)
	s, err := resolve(arn + "#password")
	if err != nil || s.Value != password {
		t.Fatalf("ARN: %q, %v", s.Value, err)
	}
	if _, err := resolve("prod/orders?version-stage=AWSPREVIOUS"); err != nil {
		t.Fatal(err)
	}
	if _, err := resolve("prod/orders?version-id=EXAMPLE1-90ab"); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.regions) != 3 || f.regions[0] != "eu-west-3" || f.regions[1] != "us-east-1" {
		t.Errorf("signed for regions %v, want the ARN's (eu-west-3), then the configured one", f.regions)
	}
	if f.inputs[0]["SecretId"] != arn {
		t.Errorf("SecretId %q, want the ARN", f.inputs[0]["SecretId"])
	}
	if f.inputs[1]["VersionStage"] != "AWSPREVIOUS" || f.inputs[1]["VersionId"] != "" {
		t.Errorf("version-stage sent as %v", f.inputs[1])
	}
	if f.inputs[2]["VersionId"] != "EXAMPLE1-90ab" || f.inputs[2]["VersionStage"] != "" {
		t.Errorf("version-id sent as %v", f.inputs[2])
	}
}

func TestErrors(t *testing.T) {
	f := start(t)
	f.reply["json"] = secretString(`{"password":"` + password + `","nested":{"a":1},"none":null}`)
	f.reply["plain"] = secretString(password)
	f.reply["almost-json"] = secretString(`{"password":"` + password + `"`)
	f.reply["binary"] = func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		json.NewEncoder(w).Encode(map[string]any{"Name": "binary", "SecretBinary": base64.StdEncoding.EncodeToString([]byte(password))})
	}
	f.reply["denied"] = func(w http.ResponseWriter) {
		// A server message echoing values must not reach the error.
		apiError(w, 400, "AccessDeniedException", "User "+accessKey+" with "+secretKey+" is not authorized; value "+password)
	}
	f.reply["kms"] = func(w http.ResponseWriter) { apiError(w, 400, "DecryptionFailure", "kms said no "+password) }
	f.reply["truncated"] = func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, `{"Name":"truncated","SecretString":"`+password+`x`) // malformed: a decoder error would quote it
	}
	f.reply["broken"] = func(w http.ResponseWriter) { apiError(w, 500, "InternalServiceError", "boom "+password) }

	for _, c := range []struct {
		ref  string
		want error
		text string
	}{
		{"json#user", awssm.ErrNoKey, `"user"`},
		{"json#nested", awssm.ErrNotJSON, "JSON object"},
		{"json#none", awssm.ErrNotJSON, "JSON null"},
		{"plain#password", awssm.ErrNotJSON, "drop #password"},
		{"almost-json#password", awssm.ErrNotJSON, "JSON object"},
		{"binary", awssm.ErrBinary, "SecretBinary"},
		{"binary#password", awssm.ErrBinary, "SecretBinary"},
		{"missing", awssm.ErrNotFound, "ResourceNotFoundException"},
		{"denied#password", awssm.ErrAccessDenied, "AccessDeniedException"},
		{"kms", awssm.ErrAccessDenied, "DecryptionFailure"},
		{"truncated", awssm.ErrService, "malformed response"},
		{"broken", awssm.ErrService, "InternalServiceError"},
		{"", awssm.ErrBadRef, "no secret name"},
		{"json#", awssm.ErrBadRef, "empty key"},
		{"json?version-stage=A&version-id=B", awssm.ErrBadRef, "not both"},
		{"json?stage=A", awssm.ErrBadRef, "unknown parameter"},
	} {
		_, err := resolve(c.ref)
		if !errors.Is(err, c.want) {
			t.Errorf("%q: %v, want %v", c.ref, err, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.text) || !strings.Contains(err.Error(), "aws-sm:"+c.ref) {
			t.Errorf("%q: %q does not name the reference and say %q", c.ref, err, c.text)
		}
		noLeak(t, err)
	}
	// Every bad reference fails before a request; a 500 is retried
	// (AWS_MAX_ATTEMPTS=2), nothing else is.
	if n, want := f.requests.Load(), int64(12+1); n != want {
		t.Errorf("%d requests, want %d", n, want)
	}
}

func TestWrongCredentials(t *testing.T) {
	start(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDSOMEONEELSE00001")
	_, err := resolve("anything#password")
	if !errors.Is(err, awssm.ErrAccessDenied) || !strings.Contains(err.Error(), "UnrecognizedClientException") {
		t.Fatalf("%v, want ErrAccessDenied", err)
	}
	noLeak(t, err)
}

func TestCancelled(t *testing.T) {
	f := start(t)
	f.reply["x"] = secretString(password)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := awssm.New().Resolve(ctx, "x")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("%v, want context.Canceled", err)
	}
	noLeak(t, err)
}

// TestSDKLinkedHereOnly: the driver, the adapter and the credential
// package do not compile the AWS SDK; only this package does.
func TestSDKLinkedHereOnly(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list imports")
	}
	out, err := exec.Command(gobin, "list", "-deps", "github.com/vapsql/vap/driver", "github.com/vapsql/vap/stdlib", "github.com/vapsql/vap/credential").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		if strings.HasPrefix(d, "github.com/aws/") {
			t.Errorf("%s is linked without credential/awssm", d)
		}
	}
	out, err = exec.Command(gobin, "list", "-deps", "github.com/vapsql/vap/credential/awssm").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	if !strings.Contains(string(out), "github.com/aws/aws-sdk-go-v2/service/secretsmanager\n") {
		t.Error("the check above would pass vacuously: awssm does not list the SDK")
	}
}
