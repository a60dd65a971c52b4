// Package credential resolves what a connection needs at connect time
// rather than at store time: secret references ({"ref": "env:VAR"},
// "file:", "vault:", "vault-db:", "aws-sm:") and credentials minted by an
// auth type ("aws-iam", "azure-ad"). Values are cached with their expiry,
// fetched once for many concurrent connects, refreshed before they expire,
// and never printed.
//
// The light schemes live here; those that need a cloud SDK live in
// subpackages that register themselves when imported, so a Flow links only
// the SDKs it uses:
//
//	import _ "github.com/vapsql/vap/credential/vault"   // vault:, vault-db:
//	import _ "github.com/vapsql/vap/credential/awssm"   // aws-sm:
//	import _ "github.com/vapsql/vap/credential/awsiam"  // auth_type aws-iam
//	import _ "github.com/vapsql/vap/credential/azuread" // auth_type azure-ad
//
// # References
//
// A reference is "SCHEME:REST" (ParseRef: a lower-case scheme, a non-empty
// rest, no control characters, at most MaxRefLen bytes). The store checks
// it with CheckRef when the connection is stored: a linked scheme's
// resolver checks the rest when it is a RefChecker; a scheme vap provides
// (KnownSchemes) that this program does not link is accepted, so the CLI
// can store a "vault:" reference for a Flow that links credential/vault;
// any other scheme is refused with a *NotLinkedError.
//
// This package resolves two schemes itself:
//
//   - "env:VAR": the environment variable VAR of the connecting process;
//     unset or empty is an error.
//   - "file:/absolute/path": the file's content with one trailing "\n" or
//     "\r\n" removed. The path must be absolute and clean; the file must
//     be a regular file (symbolic links are followed) that group and others
//     can neither read nor write (0600, 0400), not empty, at most
//     MaxFileSecret bytes.
//
// # The cache and the driver
//
// The vap driver (package stdlib) resolves and mints through a Cache
// (DefaultCache unless stdlib.WithCredentialCache), before each new
// physical connection of a connection that has references or an auth_type
// its type lists in registry.Type.CredentialAuths:
//
//  1. each reference with Cache.Resolve; the cache key is the reference
//     string, so every connection naming it shares one value. Value is laid
//     over the reference's field, then Secret.Fields over the others.
//  2. then, for an Auth that is not a ConnectorAuth, Cache.Mint with the
//     stored fields and the resolved ones laid over them; the cache key is
//     MintKey (auth type, type name, connection name, a SHA-256 digest of
//     every field), so a connection whose fields change is minted for
//     anew. Minted.Fields are laid over the rest. A ConnectorAuth's
//     Connector replaces the type's Connector; Mint is not called.
//
// A value is fetched once for many concurrent callers and kept until
// min(RefreshMargin, half its life) before Expires, or for the cache's TTL
// (DefaultTTL) when Expires is zero: the first connection after that
// fetches (or, for a Secret with Renew, renews) it again. Errors are not
// cached. A Connector holds its references (Cache.Use) while it is open,
// so renewable values are renewed in the background. When the values
// differ from those the real connector was built with, the driver builds a
// new one and closes the old. When Secret.ConnLifetime or
// Minted.ConnLifetime is positive, a physical connection is retired by the
// pool at min(ConnLifetime, time to Expires) after it was made.
//
// Resolvers and auths must not put a value in an error: the driver
// scrubs the values it knows (every resolved Value, and Fields and minted
// fields that the type or the store holds secret) from the errors of
// minting, building and connecting, but not from a resolver's own error.
// Secret and Minted print no value with any fmt verb or slog.
package credential
