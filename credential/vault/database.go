package vault

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/vault/api"

	"github.com/vapsql/vap/credential"
)

// Database returns the resolver of vault-db:MOUNT/ROLE references: each
// Resolve reads MOUNT/creds/ROLE, which makes Vault create a database user
// for ROLE with a lease. The Secret's Value is the password,
// Fields["user_name"] the user, Expires the lease's end (or the login
// token's expiry, if sooner: Vault revokes a token's leases with it),
// ConnLifetime 9/10 of the lease, and Renew renews the login token and the
// lease.
func (c *Client) Database() credential.Resolver {
	return credential.ResolverFunc(func(ctx context.Context, ref string) (credential.Secret, error) {
		mount, role, ok := strings.Cut(ref, "/")
		if !ok || mount == "" || role == "" || strings.Contains(role, "/") {
			return credential.Secret{}, fmt.Errorf("credential/vault: reference vault-db:%s: want vault-db:MOUNT/ROLE (a database secrets engine role)", ref)
		}
		path := mount + "/creds/" + role
		var s *api.Secret
		start := c.now()
		err := c.do(ctx, func() (err error) {
			s, err = c.api.Logical().ReadWithContext(ctx, path)
			return err
		})
		if err != nil {
			return credential.Secret{}, fmt.Errorf("credential/vault: vault-db:%s: %w", ref, err)
		}
		if s == nil {
			return credential.Secret{}, fmt.Errorf("credential/vault: vault-db:%s: no database role %q on mount %q", ref, role, mount)
		}
		user, _ := s.Data["username"].(string)
		password, _ := s.Data["password"].(string)
		if user == "" || password == "" {
			return credential.Secret{}, fmt.Errorf("credential/vault: vault-db:%s: the answer holds no username and password (is %q a database secrets engine?)", ref, mount)
		}
		out := credential.Secret{Value: password, Fields: map[string]string{"user_name": user}}
		if s.LeaseDuration > 0 {
			lease := time.Duration(s.LeaseDuration) * time.Second
			out.Expires = earliest(start.Add(lease), c.tokenExpires())
			out.ConnLifetime = lease * 9 / 10
		}
		if s.LeaseID != "" && s.Renewable {
			leaseID := s.LeaseID
			out.Renew = func(ctx context.Context) (time.Time, error) {
				tokenEnd := c.renewToken(ctx)
				start := c.now()
				var r *api.Secret
				err := c.do(ctx, func() (err error) {
					r, err = c.api.Sys().RenewWithContext(ctx, leaseID, 0)
					return err
				})
				if err != nil {
					return time.Time{}, fmt.Errorf("credential/vault: renewing the lease of vault-db:%s: %w", ref, err)
				}
				if r == nil || r.LeaseDuration <= 0 {
					return time.Time{}, fmt.Errorf("credential/vault: renewing the lease of vault-db:%s: the answer holds no lease duration", ref)
				}
				return earliest(start.Add(time.Duration(r.LeaseDuration)*time.Second), tokenEnd), nil
			}
		}
		return out, nil
	})
}

// earliest is the earlier of a lease's end and its token's expiry (zero:
// none).
func earliest(lease, token time.Time) time.Time {
	if !token.IsZero() && token.Before(lease) {
		return token
	}
	return lease
}
