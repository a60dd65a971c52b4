// Package vault resolves HashiCorp Vault secret references with the
// official client (github.com/hashicorp/vault/api). Importing it registers
// two schemes with package credential:
//
//	{"ref": "vault:MOUNT/PATH#KEY"}  KEY of the KV version 2 secret PATH on the mount MOUNT
//	{"ref": "vault-db:MOUNT/ROLE"}   dynamic credentials of the database secrets engine's role ROLE
//
// MOUNT is the first segment of the reference (a mount at a nested path
// such as team/kv is not addressable). A vault: reference is a static value (Secret.Expires zero: the caller
// keeps it for its TTL). A vault-db: reference reads MOUNT/creds/ROLE,
// which creates a database user: the password is the Secret's Value, the
// user name is Fields["user_name"], Expires is the end of the lease,
// ConnLifetime retires connections before the lease ends (9/10 of it), and
// Renew renews the lease (sys/leases/renew). Every Resolve of a vault-db:
// reference creates a new user: the caller's credential cache shares one
// answer between concurrent connects and resolves again when the lease
// ends.
//
// The Vault server and the login come from the environment:
//
//	VAULT_ADDR, VAULT_NAMESPACE, VAULT_CACERT, VAULT_CAPATH, VAULT_CLIENT_CERT,
//	VAULT_CLIENT_KEY, VAULT_SKIP_VERIFY, VAULT_TLS_SERVER_NAME,
//	VAULT_CLIENT_TIMEOUT, VAULT_MAX_RETRIES  read by the Vault client itself
//	VAULT_TOKEN                              a token: used as is
//	VAULT_ROLE_ID with VAULT_SECRET_ID (or VAULT_SECRET_ID_FILE)
//	                                         AppRole login, at auth/VAULT_APPROLE_MOUNT (default approle)
//	VAULT_K8S_ROLE                           Kubernetes login with the pod's service-account
//	                                         token (VAULT_K8S_TOKEN_PATH, default
//	                                         /var/run/secrets/kubernetes.io/serviceaccount/token),
//	                                         at auth/VAULT_K8S_MOUNT (default kubernetes)
//
// The first of these that is set is used. A token obtained by a login is
// renewed (auth/token/renew-self) shortly before it expires and with each
// lease renewal, since Vault revokes the leases a token created when the
// token ends; a vault-db: secret's Expires is never later than the token's.
// When renewal no longer extends the token (its maximum TTL), or Vault
// answers 403, the client logs in again. A static VAULT_TOKEN is used as
// is: its owner keeps it alive. No token, secret ID or
// service-account token appears in an error; nor does a secret's value.
//
// Only this package links Vault's API: a Flow that does not import it does
// not carry it.
package vault
