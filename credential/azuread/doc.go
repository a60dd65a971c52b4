// Package azuread provides auth_type "azure-ad" for the SQL Server types
// (mssql, sqlserver, mssql+pyodbc, mssql+pymysql, mssql+pymssql): logins
// with a Microsoft Entra ID (Azure AD) access token obtained through
// azidentity, the Azure SDK's identity library. Import it for its side
// effect:
//
//	import _ "github.com/vapsql/vap/credential/azuread"
//
// The connection stores no user_name and no password; azure_credential
// says where the token comes from:
//
//   - "service-principal": an app registration, azure_tenant_id and
//     azure_client_id, with azure_client_secret, or azure_client_certificate
//     (the path of a PEM or PKCS#12 file holding the certificate and its
//     private key; azure_client_certificate_password if it is encrypted);
//   - "managed-identity": the Azure resource's identity (system-assigned,
//     or the user-assigned one whose client ID is azure_client_id);
//   - "workload-identity": Kubernetes workload identity (the
//     AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE the
//     webhook sets, or azure_tenant_id, azure_client_id, azure_token_file);
//   - "default" (when azure_credential is absent): azidentity's
//     DefaultAzureCredential chain (environment, workload identity,
//     managed identity, Azure CLI, Azure Developer CLI).
//
// azure_authority_host sets the Entra ID authority (sovereign and private
// clouds; default https://login.microsoftonline.com/, or
// AZURE_AUTHORITY_HOST), and azure_disable_instance_discovery skips
// authority validation (disconnected clouds, Azure Stack). The token's
// scope is https://database.windows.net/.default.
//
// The token goes to the server in LOGIN7's FEDAUTH feature extension
// (go-mssqldb's NewSecurityTokenConnector, the security token library),
// inside TLS: options.encrypt may not be "disable".
//
// # Why not go-mssqldb's azuread package
//
// github.com/microsoft/go-mssqldb/azuread builds a new azidentity
// credential for every physical connection, so nothing is cached between
// connections: each new connection asks Entra ID for a token, and 32
// concurrent connects make 32 token requests. This package builds one
// credential per distinct set of azure_ fields and keeps its token,
// fetched once for any number of concurrent connects and fetched again
// before it expires (5 minutes before, or halfway through a shorter
// life). It uses the same azidentity credential types that package does.
//
// Errors name fields, never values; tokens and secrets appear in none.
package azuread
