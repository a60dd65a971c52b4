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
package credential
