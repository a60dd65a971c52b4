// Package credentials supplies the OAuth access tokens of the databricks
// connection type: a personal access token (Static), the OAuth
// machine-to-machine client-credentials grant (ClientCredentials), and the
// Posit Connect content-session token exchange (Exchange) with its fallback
// to a local strategy (Content). Every source can be wrapped in a Cached
// source, shared by all the connections of one connector: it keeps the
// token until shortly before it expires (RefreshMargin) and, when many
// connections ask at the same moment, fetches once (singleflight).
//
// # Environment
//
// This is the one place in vap's registry that reads process environment
// variables, because the Posit Connect strategy is defined by them: Connect
// sets CONNECT_SERVER, CONNECT_API_KEY and the content session token
// (CONNECT_CONTENT_SESSION_TOKEN_FILE, or CONNECT_CONTENT_SESSION_TOKEN) in
// the content's environment. They are read through a LookupEnv function
// that the caller passes in (os.LookupEnv in production, a map in tests),
// when a connector is built (DetectPlatform); the token file is read again
// at every exchange, since the platform may rotate it.
//
// # Errors
//
// Every error is an *Error naming the step that failed (Step); its message
// never holds a token, a client secret, an API key or a session token:
// messages from token endpoints are scrubbed of the secrets the source
// knows before they are wrapped.
package credentials
