package awsiam

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/registry"
)

// AuthType is the value of the field auth_type this package mints for.
const AuthType = "aws-iam"

// Types the Auths are registered for (canonical registry names).
const (
	typePostgreSQL = "postgresql"
	typeMySQL      = "mysql"
	typeRedshift   = "sqlalchemy-redshift"
)

func init() {
	credential.RegisterAuth(AuthType, &RDS{}, typePostgreSQL, typeMySQL)
	credential.RegisterAuth(AuthType, &Redshift{}, typeRedshift)
}

// DefaultSessionName is the STS role session name when aws_role_session_name
// is not set.
const DefaultSessionName = "vap"

// source is what selects one AWS configuration: the connection's aws_
// fields.
type source struct {
	region, profile, role, externalID, session string
}

func sourceOf(p registry.Params) source {
	s := source{
		region:     p.Get("aws_region"),
		profile:    p.Get("aws_profile"),
		role:       p.Get("aws_role_arn"),
		externalID: p.Get("aws_external_id"),
		session:    p.Get("aws_role_session_name"),
	}
	if s.role != "" && s.session == "" {
		s.session = DefaultSessionName
	}
	return s
}

// configs keeps one aws.Config per source, so that the SDK's credential
// cache, and an assumed role's session, serve every connection using it.
type configs struct {
	mu sync.Mutex
	m  map[source]aws.Config
}

// load returns the AWS configuration for p's fields, loading it at first
// use. A failed load is not kept: the next Mint tries again.
func (c *configs) load(ctx context.Context, p registry.Params) (aws.Config, error) {
	s := sourceOf(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	if cfg, ok := c.m[s]; ok {
		return cfg, nil
	}
	var opts []func(*config.LoadOptions) error
	if s.region != "" {
		opts = append(opts, config.WithRegion(s.region))
	}
	if s.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(s.profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("awsiam: loading the AWS configuration (aws_profile, aws_region, AWS_* environment, shared config files): %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("awsiam: no AWS region: set the field aws_region, or AWS_REGION")
	}
	if s.role != "" {
		prov := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), s.role, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = s.session
			if s.externalID != "" {
				o.ExternalID = aws.String(s.externalID)
			}
		})
		cfg.Credentials = aws.NewCredentialsCache(prov)
	}
	if c.m == nil {
		c.m = map[source]aws.Config{}
	}
	c.m[s] = cfg
	return cfg, nil
}

// credentials retrieves the AWS credentials of cfg, naming the step that
// failed.
func credentials(ctx context.Context, cfg aws.Config, p registry.Params) (aws.Credentials, error) {
	if cfg.Credentials == nil {
		return aws.Credentials{}, errors.New("awsiam: no AWS credentials found (environment, shared files, web identity, container or instance role)")
	}
	cr, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		if p.Get("aws_role_arn") != "" {
			return aws.Credentials{}, fmt.Errorf("awsiam: assuming the role aws_role_arn through STS: %w", err)
		}
		return aws.Credentials{}, fmt.Errorf("awsiam: retrieving AWS credentials: %w", err)
	}
	return cr, nil
}

// Validate checks the shapes of the aws_ fields when a connection is
// stored: a region name, an IAM role ARN, a role session name STS accepts.
// The connection type's own Check has checked the rest (TLS, no stored
// password, which fields go together).
func validate(p registry.Params) error {
	bad := func(f, reason string) error { return &registry.FieldError{Type: p.Type(), Field: f, Reason: reason} }
	if v, ok := p.Lookup("aws_region"); ok && !validRegion(v) {
		return bad("aws_region", "must be an AWS region name such as us-east-1")
	}
	if v, ok := p.Lookup("aws_role_arn"); ok && !validRoleARN(v) {
		return bad("aws_role_arn", "must be an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME)")
	}
	if v, ok := p.Lookup("aws_role_session_name"); ok && !validSessionName(v) {
		return bad("aws_role_session_name", "must be 2 to 64 characters of letters, digits and =,.@-")
	}
	if v, ok := p.Lookup("aws_external_id"); ok && (len(v) < 2 || len(v) > 1224 || strings.ContainsFunc(v, isSpaceOrControl)) {
		return bad("aws_external_id", "must be 2 to 1224 characters without spaces")
	}
	if v, ok := p.Lookup("aws_profile"); ok && (v == "" || strings.ContainsFunc(v, isSpaceOrControl)) {
		return bad("aws_profile", "must be a profile name without spaces")
	}
	return nil
}

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }

// validRegion: lower-case letters, digits and dashes (us-east-1,
// us-gov-west-1, cn-north-1).
func validRegion(v string) bool {
	if v == "" || len(v) > 32 || v[0] == '-' || v[len(v)-1] == '-' {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validRoleARN: arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME.
func validRoleARN(v string) bool {
	parts := strings.SplitN(v, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != "iam" || parts[3] != "" {
		return false
	}
	if len(parts[4]) != 12 || strings.Trim(parts[4], "0123456789") != "" {
		return false
	}
	name, ok := strings.CutPrefix(parts[5], "role/")
	return ok && name != "" && !strings.ContainsFunc(v, isSpaceOrControl)
}

func validSessionName(v string) bool {
	if len(v) < 2 || len(v) > 64 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("=,.@-_+", c) >= 0) {
			return false
		}
	}
	return true
}

var (
	_ credential.Auth      = (*RDS)(nil)
	_ credential.Validator = (*RDS)(nil)
	_ credential.Auth      = (*Redshift)(nil)
	_ credential.Validator = (*Redshift)(nil)
)
