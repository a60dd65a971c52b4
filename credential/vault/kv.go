package vault

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/vault/api"

	"github.com/vapsql/vap/credential"
)

// kvRef is a parsed vault:MOUNT/PATH#KEY.
type kvRef struct{ mount, path, key string }

func parseKV(ref string) (kvRef, error) {
	loc, key, ok := strings.Cut(ref, "#")
	mount, path, _ := strings.Cut(loc, "/")
	if !ok || key == "" || mount == "" || strings.Trim(path, "/") == "" {
		return kvRef{}, fmt.Errorf("credential/vault: reference vault:%s: want vault:MOUNT/PATH#KEY (a KV version 2 secret's key)", ref)
	}
	return kvRef{mount: mount, path: strings.Trim(path, "/"), key: key}, nil
}

// KV returns the resolver of vault:MOUNT/PATH#KEY references: KEY of the
// latest version of the KV version 2 secret PATH on the mount MOUNT.
func (c *Client) KV() credential.Resolver {
	return credential.ResolverFunc(func(ctx context.Context, ref string) (credential.Secret, error) {
		r, err := parseKV(ref)
		if err != nil {
			return credential.Secret{}, err
		}
		var s *api.KVSecret
		err = c.do(ctx, func() (err error) {
			s, err = c.api.KVv2(r.mount).Get(ctx, r.path)
			return err
		})
		if errors.Is(err, api.ErrSecretNotFound) {
			return credential.Secret{}, fmt.Errorf("credential/vault: vault:%s/%s: no secret at that path on the KV version 2 mount %q", r.mount, r.path, r.mount)
		}
		if err != nil {
			return credential.Secret{}, fmt.Errorf("credential/vault: vault:%s/%s: %w", r.mount, r.path, err)
		}
		v, ok := s.Data[r.key]
		if !ok {
			keys := make([]string, 0, len(s.Data))
			for k := range s.Data {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			return credential.Secret{}, fmt.Errorf("credential/vault: vault:%s/%s has no key %q (its keys: %s)", r.mount, r.path, r.key, strings.Join(keys, ", "))
		}
		str, ok := v.(string)
		if !ok {
			return credential.Secret{}, fmt.Errorf("credential/vault: vault:%s/%s#%s is a %s, not a string", r.mount, r.path, r.key, jsonKind(v))
		}
		return credential.Secret{Value: str}, nil
	})
}

// jsonKind names a decoded JSON value's kind, never its value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	}
	return "number"
}
