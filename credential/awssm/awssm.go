package awssm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"

	"github.com/vapsql/vap/credential"
)

// Scheme is the reference scheme this package resolves.
const Scheme = "aws-sm"

func init() { credential.RegisterResolver(Scheme, New()) }

// Errors a resolution may wrap (errors.Is).
var (
	ErrBadRef       = errors.New("awssm: invalid reference")
	ErrNotFound     = errors.New("awssm: secret not found")
	ErrAccessDenied = errors.New("awssm: access denied")
	ErrNoKey        = errors.New("awssm: the secret has no such key")
	ErrNotJSON      = errors.New("awssm: the secret is not a JSON object")
	ErrBinary       = errors.New("awssm: the secret is binary")
	ErrService      = errors.New("awssm: Secrets Manager failed")
)

// Resolver resolves aws-sm references. The zero value is not usable: use
// New. It is safe for concurrent use.
type Resolver struct {
	load func(ctx context.Context) (aws.Config, error)

	mu     sync.Mutex
	client *secretsmanager.Client
}

// Option configures New.
type Option func(*Resolver)

// WithConfig uses cfg (credentials, region, endpoint, HTTP client) instead
// of the SDK's default chain.
func WithConfig(cfg aws.Config) Option {
	return func(r *Resolver) {
		r.load = func(context.Context) (aws.Config, error) { return cfg, nil }
	}
}

// New returns a resolver. By default it loads the AWS configuration from
// the SDK's standard chain on first use (config.LoadDefaultConfig); a
// failure is retried on the next resolution.
func New(opts ...Option) *Resolver {
	r := &Resolver{load: func(ctx context.Context) (aws.Config, error) { return config.LoadDefaultConfig(ctx) }}
	for _, o := range opts {
		o(r)
	}
	return r
}

func (r *Resolver) clientFor(ctx context.Context) (*secretsmanager.Client, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.client != nil {
		return r.client, nil
	}
	cfg, err := r.load(ctx)
	if err != nil {
		// The default chain's errors name files and variables, not values.
		return nil, fmt.Errorf("%w: loading the AWS configuration: %v", ErrService, err)
	}
	r.client = secretsmanager.NewFromConfig(cfg)
	return r.client, nil
}

// Resolve fetches the secret ref names (what follows "aws-sm:") with
// GetSecretValue and returns its SecretString, or one key of it.
func (r *Resolver) Resolve(ctx context.Context, ref string) (credential.Secret, error) {
	p, err := ParseRef(ref)
	if err != nil {
		return credential.Secret{}, fmt.Errorf("%w %q: %v", ErrBadRef, Scheme+":"+ref, err)
	}
	where := Scheme + ":" + ref // names the secret and key; holds no value
	c, err := r.clientFor(ctx)
	if err != nil {
		return credential.Secret{}, fmt.Errorf("%s: %w", where, err)
	}
	in := &secretsmanager.GetSecretValueInput{SecretId: aws.String(p.SecretID)}
	if p.VersionStage != "" {
		in.VersionStage = aws.String(p.VersionStage)
	}
	if p.VersionID != "" {
		in.VersionId = aws.String(p.VersionID)
	}
	var optFns []func(*secretsmanager.Options)
	if region, ok := arnRegion(p.SecretID); ok {
		optFns = append(optFns, func(o *secretsmanager.Options) { o.Region = region })
	}
	out, err := c.GetSecretValue(ctx, in, optFns...)
	if err != nil {
		return credential.Secret{}, fmt.Errorf("%s: %w", where, callError(ctx, err))
	}
	if out.SecretString == nil {
		if out.SecretBinary != nil {
			return credential.Secret{}, fmt.Errorf("%w: %s holds SecretBinary; aws-sm references read SecretString", ErrBinary, where)
		}
		return credential.Secret{}, fmt.Errorf("%w: %s: the response has no SecretString", ErrService, where)
	}
	if p.Key == "" {
		return credential.Secret{Value: *out.SecretString}, nil
	}
	v, err := jsonKey(*out.SecretString, p.Key)
	if err != nil {
		return credential.Secret{}, fmt.Errorf("%s: %w", where, err)
	}
	return credential.Secret{Value: v}, nil
}

// jsonKey returns the text of key in the JSON object s. Its errors hold no
// part of s: a JSON syntax error would quote a character of the secret.
func jsonKey(s, key string) (string, error) {
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil || d.More() {
		return "", fmt.Errorf("%w (a #KEY reference needs a JSON object; drop #%s to use the whole string)", ErrNotJSON, key)
	}
	v, ok := m[key]
	if !ok {
		return "", fmt.Errorf("%w %q (it has %d keys)", ErrNoKey, key, len(m))
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case bool:
		return strconv.FormatBool(v), nil
	default:
		return "", fmt.Errorf("%w: key %q holds a JSON %s, not a string, number or boolean", ErrNotJSON, key, jsonKind(v))
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "array"
	default:
		return "object"
	}
}

// callError turns a GetSecretValue failure into an error that names the
// AWS error code but holds neither the server's message (it is echoed
// text) nor a response body snapshot (a malformed response may hold the
// secret).
func callError(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return ctx.Err()
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		code := api.ErrorCode()
		switch code {
		case "ResourceNotFoundException":
			return fmt.Errorf("%w (%s)", ErrNotFound, code)
		case "AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "InvalidSignatureException",
			"ExpiredTokenException", "IncompleteSignature", "MissingAuthenticationToken":
			return fmt.Errorf("%w (%s): check the credentials and the policy's secretsmanager:GetSecretValue (and kms:Decrypt) permissions", ErrAccessDenied, code)
		case "DecryptionFailure":
			return fmt.Errorf("%w (%s): Secrets Manager could not decrypt the secret with its KMS key (kms:Decrypt permission?)", ErrAccessDenied, code)
		}
		return fmt.Errorf("%w (%s)", ErrService, code)
	}
	var de *smithy.DeserializationError
	if errors.As(err, &de) {
		return fmt.Errorf("%w: malformed response", ErrService)
	}
	var oe *smithy.OperationError
	if errors.As(err, &oe) && oe.Err != nil {
		// Transport and credential-chain failures: their text names
		// endpoints, files and variables, not values.
		return fmt.Errorf("%w: %v", ErrService, oe.Err)
	}
	return fmt.Errorf("%w: %v", ErrService, err)
}
