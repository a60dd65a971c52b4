package vault

import (
	"context"
	"sync"

	"github.com/vapsql/vap/credential"
)

// defaultClient is the Client the registered resolvers use, made from the
// environment at the first resolve (and again after a failure).
var defaultClient struct {
	mu sync.Mutex
	c  *Client
}

func client() (*Client, error) {
	defaultClient.mu.Lock()
	defer defaultClient.mu.Unlock()
	if defaultClient.c == nil {
		c, err := NewClient(nil)
		if err != nil {
			return nil, err
		}
		defaultClient.c = c
	}
	return defaultClient.c, nil
}

func init() {
	credential.RegisterResolver("vault", credential.ResolverFunc(func(ctx context.Context, ref string) (credential.Secret, error) {
		c, err := client()
		if err != nil {
			return credential.Secret{}, err
		}
		return c.KV().Resolve(ctx, ref)
	}))
	credential.RegisterResolver("vault-db", credential.ResolverFunc(func(ctx context.Context, ref string) (credential.Secret, error) {
		c, err := client()
		if err != nil {
			return credential.Secret{}, err
		}
		return c.Database().Resolve(ctx, ref)
	}))
}
