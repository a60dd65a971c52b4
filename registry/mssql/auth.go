package mssql

import (
	"slices"

	"github.com/vapsql/vap/registry"
)

// AuthAzureAD is the auth_type whose logins use Microsoft Entra ID (Azure
// AD) access tokens, obtained at connect time by
// github.com/vapsql/vap/credential/azuread.
const AuthAzureAD = "azure-ad"

// The kinds of Entra ID credential (field azure_credential).
const (
	AzureServicePrincipal = "service-principal"
	AzureManagedIdentity  = "managed-identity"
	AzureWorkloadIdentity = "workload-identity"
	AzureDefault          = "default"
)

// azureFields are the fields of auth_type azure-ad (see credential/azuread).
var azureFields = []string{"auth_type", "azure_credential", "azure_tenant_id", "azure_client_id", "azure_client_secret",
	"azure_client_certificate", "azure_client_certificate_password", "azure_token_file", "azure_authority_host", "azure_disable_instance_discovery"}

// azureSecrets are always stored encrypted.
var azureSecrets = []string{"azure_client_secret", "azure_client_certificate_password"}

// azureKinds lists, per azure_credential, the fields it requires and those
// it accepts besides the common ones (azure_authority_host,
// azure_disable_instance_discovery).
var azureKinds = map[string]struct{ required, accepted []string }{
	AzureServicePrincipal: {[]string{"azure_tenant_id", "azure_client_id"}, []string{"azure_client_secret", "azure_client_certificate", "azure_client_certificate_password"}},
	AzureManagedIdentity:  {nil, []string{"azure_client_id"}},
	AzureWorkloadIdentity: {nil, []string{"azure_tenant_id", "azure_client_id", "azure_token_file"}},
	AzureDefault:          {nil, []string{"azure_tenant_id", "azure_client_id"}},
}

// checkAuth checks the auth fields when the connection is stored.
// Without auth_type azure-ad, user_name is required and
// no azure_ field is set. With it there is no user_name or password (the
// token names the principal), options.encrypt is not "disable" (the token
// would cross the network in the clear), and the azure_ fields are those
// of azure_credential (default "default"): a service principal needs
// azure_tenant_id, azure_client_id and exactly one of azure_client_secret
// and azure_client_certificate. The values' shapes are checked by
// credential/azuread's Validate. Errors name fields, never values.
func checkAuth(p registry.Params) error {
	bad := func(f, reason string) error { return &registry.FieldError{Type: p.Type(), Field: f, Reason: reason} }
	// An auth_type the type does not list is refused by Type.Validate
	// (CredentialAuths); the fields of azure-ad are checked here.
	if p.Get("auth_type") != AuthAzureAD {
		for _, f := range azureFields[1:] {
			if _, ok := p.Lookup(f); ok {
				return bad(f, "is used only with auth_type "+AuthAzureAD)
			}
		}
		if p.Get("user_name") == "" {
			return bad("user_name", "is required")
		}
		return nil
	}
	for _, f := range []string{"user_name", "password"} {
		if _, ok := p.Lookup(f); ok {
			return bad(f, "must be absent with auth_type "+AuthAzureAD+": the access token names the principal (see azure_client_id, azure_client_secret)")
		}
	}
	if v, _ := p.Option("encrypt"); v == "disable" {
		return bad(registry.OptionPrefix+"encrypt", "must not be disable with auth_type "+AuthAzureAD+" (the access token would be sent without TLS)")
	}
	kind := p.Get("azure_credential")
	if kind == "" {
		kind = AzureDefault
	}
	k, ok := azureKinds[kind]
	if !ok {
		return bad("azure_credential", "must be one of default, managed-identity, service-principal, workload-identity")
	}
	for _, f := range k.required {
		if p.Get(f) == "" {
			return bad(f, "is required with azure_credential "+kind)
		}
	}
	for _, f := range azureFields[2:] {
		if _, set := p.Lookup(f); set && !slices.Contains(k.required, f) && !slices.Contains(k.accepted, f) && f != "azure_authority_host" && f != "azure_disable_instance_discovery" {
			return bad(f, "is not used with azure_credential "+kind)
		}
	}
	if kind == AzureServicePrincipal {
		_, secret := p.Lookup("azure_client_secret")
		_, cert := p.Lookup("azure_client_certificate")
		if secret == cert {
			return bad("azure_client_secret", "or azure_client_certificate, exactly one, is required with azure_credential "+kind)
		}
		if _, pw := p.Lookup("azure_client_certificate_password"); pw && !cert {
			return bad("azure_client_certificate_password", "is used only with azure_client_certificate")
		}
	}
	if _, err := p.Bool("azure_disable_instance_discovery", false); err != nil {
		return err
	}
	return nil
}
