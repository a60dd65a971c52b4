// Package databricks registers the databricks type, served by
// github.com/databricks/databricks-sql-go (pinned at v1.14.0, the newest release the Go module proxy serves here).
//
// Fields: server_hostname (any https:// prefix and trailing slash are
// stripped; "host:port" is accepted), http_path, port (default 443),
// catalog, schema, and the credentials chosen by auth_type:
//
//   - pat: access_token (always encrypted), sent as "Authorization: Bearer".
//   - oauth-m2m: client_id and client_secret (always encrypted), traded for
//     a token by the OAuth client-credentials grant (scope all-apis) at
//     token_endpoint, by default https://{server_hostname}/oidc/v1/token.
//   - token-exchange: on Posit Connect, the content session token is
//     exchanged for a Databricks token (see package credentials); off the
//     platform, the connection's own oauth-m2m or pat credentials are used.
//
// # Viewers (Posit Connect's viewer strategy)
//
// A web application on Posit Connect that queries as each of its viewers
// (PositCredentialsStrategy) uses NewViewers on the stored connection:
// Viewers.Request(r) returns the *sql.DB of the viewer whose request r is,
// found by the Posit-Connect-User-Session-Token header; the viewer's user
// session token is exchanged at Connect (subject token type
// urn:posit:connect:user-session-token) for that viewer's Databricks
// token. Each viewer has its own connection pool and token cache, never
// shared; at most ViewerLimits.MaxViewers are held (least recently used
// closed first) and one idle for ViewerLimits.Idle is closed. A refused
// exchange fails that viewer's queries only. Off Connect every viewer uses
// the connection's local credentials (oauth-m2m or pat).
//
// When auth_type is absent it is inferred: oauth-m2m when client_id is set,
// else pat.
//
// Tokens live in a cache shared by all the connections of one connector
// (one sql.DB): refreshed shortly before they expire, fetched once when
// many connections ask at the same moment, and fetched before the driver
// opens its session, so a credential failure is reported as such, naming
// the connection and the step, and is not retried by the driver's HTTP
// retry loop.
//
// # Environment
//
// The token-exchange strategy is defined by the CONNECT_* variables that
// Posit Connect sets. They are read when the connector is built (when
// sql.Open / driver.NewConnector resolves the name, and again when the
// stored connection changes), through the LookupEnv given to New;
// the registered type uses os.LookupEnv. No other auth_type reads the
// environment.
//
// # Complex types
//
// ARRAY, MAP and STRUCT columns are read as JSON text (Columns marks them
// coltype.Spec.JSON; package odbc documents the form). The driver asks for
// them as native Arrow (list, map, struct) and DriverRows reads such a
// result from its Arrow batches, so a nested DECIMAL keeps its digits, a
// nested DATE or TIMESTAMP is ISO 8601, and a NaN inside an array converts
// instead of failing the result. A column-based result (from a server
// that does not send Arrow) carries each complex value as JSON text,
// passed on as it is.
//
// # Endpoints a connection contacts
//
// A databricks connection opens connections to exactly these:
//
//   - The Thrift endpoint: https://{server_hostname}:{port}{http_path}
//     (HiveServer2 Thrift over HTTP, "Authorization: Bearer <token>").
//   - The token endpoint, for oauth-m2m: token_endpoint, by default
//     https://{server_hostname}/oidc/v1/token; for token-exchange and
//     Viewers on Posit Connect:
//     {CONNECT_SERVER}/__api__/v1/oauth/integrations/credentials.
//     A personal access token contacts none.
//   - CloudFetch storage links: for a large result the warehouse answers
//     with presigned URLs to result files in its cloud storage (S3, ADLS or
//     GCS hosts, or the workspace's own), which the driver downloads
//     through the same transport, without the bearer token, at most
//     options.max_download_threads at a time (default
//     DefaultDownloadThreads). options.cloud_fetch=false asks the warehouse
//     for inline results instead, and then no storage host is contacted.
//
// Nothing is sent for telemetry, on port 443 or any other: the driver
// fetches a telemetry feature flag from
// https://{server_hostname}/api/2.0/connector-service/feature-flags/… on
// every connect (port 443 whatever port is configured) and may then push
// usage telemetry to /telemetry-ext; vap answers both inside the process
// (the flag "off", a push an empty success), so neither leaves the
// machine.
//
// # Privacy and logs
//
// The driver's global logger writes server error
// text, which can echo a token, to stderr: importing this package sets its
// level to "disabled". Errors still reach the caller, scrubbed of secrets.
//
// Plain HTTP: databricks-sql-go speaks HTTP without TLS only when
// server_hostname is exactly "localhost" (tests); an http:// prefix is
// refused.
package databricks
