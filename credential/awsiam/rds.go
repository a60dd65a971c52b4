package awsiam

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/registry"
)

// TokenLifetime is how long RDS accepts an IAM authentication token after
// it is signed.
const TokenLifetime = 15 * time.Minute

// RDS mints RDS and Aurora IAM authentication tokens for postgresql and
// mysql connections: the token is the password. The zero value is ready
// to use; it is safe for concurrent use.
type RDS struct {
	configs configs
	now     func() time.Time // for tests; nil: time.Now
}

// Validate checks the aws_ fields of p (see the package documentation).
func (a *RDS) Validate(p registry.Params) error {
	if p.Get("user_name") == "" {
		return &registry.FieldError{Type: p.Type(), Field: "user_name", Reason: "is required (the database user the IAM token is for)"}
	}
	return validate(p)
}

// Mint returns {"password": token} for p's host, port, region and
// user_name, and when the token stops being accepted.
func (a *RDS) Mint(ctx context.Context, p registry.Params) (credential.Minted, error) {
	if err := a.Validate(p); err != nil {
		return credential.Minted{}, err
	}
	t := registry.Lookup(p.Type())
	if t == nil {
		return credential.Minted{}, fmt.Errorf("awsiam: unknown connection type %q", p.Type())
	}
	if p.Host() == "" {
		return credential.Minted{}, &registry.FieldError{Type: p.Type(), Field: "host", Reason: "is required"}
	}
	cfg, err := a.configs.load(ctx, p)
	if err != nil {
		return credential.Minted{}, err
	}
	cr, err := credentials(ctx, cfg, p)
	if err != nil {
		return credential.Minted{}, err
	}
	now := time.Now
	if a.now != nil {
		now = a.now
	}
	signed := now()
	endpoint := net.JoinHostPort(p.Host(), strconv.Itoa(p.Port(t.DefaultPort)))
	// The token is signed with the credentials just retrieved (a static
	// provider), so that its expiry below is theirs.
	token, err := auth.BuildAuthToken(ctx, endpoint, cfg.Region, p.Get("user_name"), staticProvider{cr})
	if err != nil {
		// BuildAuthToken's errors name the endpoint's port or the
		// credentials provider, never a value of the token.
		return credential.Minted{}, errors.New("awsiam: building the RDS IAM token failed: " + err.Error())
	}
	expires := signed.Add(TokenLifetime)
	if cr.CanExpire && cr.Expires.Before(expires) {
		// A token signed with temporary credentials is refused once they
		// have expired.
		expires = cr.Expires
	}
	return credential.Minted{Fields: map[string]string{"password": token}, Expires: expires}, nil
}
