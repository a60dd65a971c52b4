package azuread

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	gomssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/registry"
	mssqlreg "github.com/vapsql/vap/registry/mssql"
)

// AuthType is the value of the field auth_type this package serves.
const AuthType = mssqlreg.AuthAzureAD

// Scope is the OAuth scope of Azure SQL Database and SQL Server's Entra
// ID logins.
const Scope = "https://database.windows.net/.default"

// Types are the connection types the Auth is registered for.
var Types = []string{mssqlreg.MSSQL.Name, mssqlreg.PyODBC.Name, mssqlreg.PyMySQL.Name, mssqlreg.PyMSSQL.Name}

func init() { credential.RegisterAuth(AuthType, &Auth{}, Types...) }

// transport, when set (by tests), carries the Entra ID requests.
var transport policy.Transporter

// Auth is the azure-ad auth type: a credential.ConnectorAuth. The zero
// value is ready to use; it is safe for concurrent use.
type Auth struct {
	mu      sync.Mutex
	sources map[key]*tokenSource
}

var (
	_ credential.Auth          = (*Auth)(nil)
	_ credential.ConnectorAuth = (*Auth)(nil)
	_ credential.Validator     = (*Auth)(nil)
)

// key selects one credential: the azure_ fields.
type key struct {
	kind, tenant, client, secret, cert, certPassword, tokenFile, authority string
	noDiscovery                                                            bool
}

func keyOf(p registry.Params) key {
	k := key{
		kind: p.Get("azure_credential"), tenant: p.Get("azure_tenant_id"), client: p.Get("azure_client_id"),
		secret: p.Get("azure_client_secret"), cert: p.Get("azure_client_certificate"), certPassword: p.Get("azure_client_certificate_password"),
		tokenFile: p.Get("azure_token_file"), authority: p.Get("azure_authority_host"),
	}
	if k.kind == "" {
		k.kind = mssqlreg.AzureDefault
	}
	k.noDiscovery, _ = p.Bool("azure_disable_instance_discovery", false)
	return k
}

// Mint is not used: an azure-ad connection is made by Connector, whose
// driver asks for the token at each login.
func (a *Auth) Mint(context.Context, registry.Params) (credential.Minted, error) {
	return credential.Minted{}, errors.New("azuread: auth_type " + AuthType + " makes its own connector (credential.ConnectorAuth); Mint is not used")
}

// Validate checks the shapes of the azure_ fields when a connection is
// stored (the connection type's Check has checked which go together).
func (a *Auth) Validate(p registry.Params) error {
	bad := func(f, reason string) error { return &registry.FieldError{Type: p.Type(), Field: f, Reason: reason} }
	if v, ok := p.Lookup("azure_tenant_id"); ok && !validTenant(v) {
		return bad("azure_tenant_id", "must be a tenant ID (a GUID) or a domain name")
	}
	if v, ok := p.Lookup("azure_client_id"); ok && !validGUID(v) {
		return bad("azure_client_id", "must be an application (client) ID, a GUID")
	}
	if v, ok := p.Lookup("azure_authority_host"); ok {
		u, err := url.Parse(v)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return bad("azure_authority_host", "must be an https URL such as https://login.microsoftonline.us/")
		}
	}
	return nil
}

// Connector returns go-mssqldb's connector for p that logs in with an
// access token from p's credential, shared by every connector of the same
// azure_ fields.
func (a *Auth) Connector(ctx context.Context, p registry.Params) (driver.Connector, error) {
	if t := registry.Lookup(p.Type()); t != nil && t.Check != nil {
		if err := t.Check(p); err != nil {
			return nil, err
		}
	}
	if err := a.Validate(p); err != nil {
		return nil, err
	}
	cfg, err := mssqlreg.Config(p)
	if err != nil {
		return nil, err
	}
	src, err := a.source(p)
	if err != nil {
		return nil, err
	}
	return gomssql.NewSecurityTokenConnector(cfg, src.token)
}

func (a *Auth) source(p registry.Params) (*tokenSource, error) {
	k := keyOf(p)
	a.mu.Lock()
	defer a.mu.Unlock()
	if s, ok := a.sources[k]; ok {
		return s, nil
	}
	cred, err := newCredential(k)
	if err != nil {
		return nil, err
	}
	s := newTokenSource(cred, Scope, k.kind)
	if a.sources == nil {
		a.sources = map[key]*tokenSource{}
	}
	a.sources[k] = s
	return s, nil
}

// newCredential builds the azidentity credential of k. Its errors name
// fields, never values.
func newCredential(k key) (azcore.TokenCredential, error) {
	opts := azcore.ClientOptions{Transport: transport}
	if k.authority != "" {
		opts.Cloud = cloud.Configuration{ActiveDirectoryAuthorityHost: k.authority, Services: map[cloud.ServiceName]cloud.ServiceConfiguration{}}
	}
	fail := func(what string, err error) (azcore.TokenCredential, error) {
		return nil, fmt.Errorf("azuread: %s: %w", what, scrub(err, k))
	}
	switch k.kind {
	case mssqlreg.AzureServicePrincipal:
		if k.cert != "" {
			data, err := os.ReadFile(k.cert)
			if err != nil {
				return nil, errors.New("azuread: reading azure_client_certificate failed: " + pathError(err))
			}
			certs, key, err := azidentity.ParseCertificates(data, []byte(k.certPassword))
			if err != nil {
				return nil, errors.New("azuread: azure_client_certificate holds no certificate and private key it can read (PEM or PKCS#12; check azure_client_certificate_password)")
			}
			c, err := azidentity.NewClientCertificateCredential(k.tenant, k.client, certs, key, &azidentity.ClientCertificateCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: k.noDiscovery})
			if err != nil {
				return fail("service principal with azure_client_certificate", err)
			}
			return c, nil
		}
		c, err := azidentity.NewClientSecretCredential(k.tenant, k.client, k.secret, &azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: k.noDiscovery})
		if err != nil {
			return fail("service principal with azure_client_secret", err)
		}
		return c, nil
	case mssqlreg.AzureManagedIdentity:
		o := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if k.client != "" {
			o.ID = azidentity.ClientID(k.client)
		}
		c, err := azidentity.NewManagedIdentityCredential(o)
		if err != nil {
			return fail("managed identity", err)
		}
		return c, nil
	case mssqlreg.AzureWorkloadIdentity:
		c, err := azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
			ClientOptions: opts, TenantID: k.tenant, ClientID: k.client, TokenFilePath: k.tokenFile, DisableInstanceDiscovery: k.noDiscovery,
		})
		if err != nil {
			return fail("workload identity (azure_tenant_id, azure_client_id, azure_token_file or AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE)", err)
		}
		return c, nil
	case mssqlreg.AzureDefault:
		c, err := azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: opts, TenantID: k.tenant, DisableInstanceDiscovery: k.noDiscovery})
		if err != nil {
			return fail("default credential chain", err)
		}
		return c, nil
	}
	return nil, errors.New("azuread: azure_credential must be one of default, managed-identity, service-principal, workload-identity")
}

// pathError tells what went wrong with a file without its path (which may
// be sensitive).
func pathError(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "no such file"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	}
	return "cannot read the file"
}

// scrub removes k's secrets from err's text, should the SDK ever repeat
// them; the result keeps err's text only.
func scrub(err error, k key) error {
	if err == nil {
		return nil
	}
	s := err.Error()
	for _, v := range []string{k.secret, k.certPassword} {
		if v != "" {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	if s == err.Error() {
		return err
	}
	return errors.New(s)
}

func validGUID(v string) bool {
	if len(v) != 36 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// validTenant: a GUID, or a domain name (contoso.onmicrosoft.com).
func validTenant(v string) bool {
	if validGUID(v) {
		return true
	}
	if v == "" || len(v) > 253 || !strings.Contains(v, ".") || v[0] == '.' || v[0] == '-' {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
