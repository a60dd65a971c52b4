// Package hub is the store backend that reads a shared store through the
// store hub (`vap serve` with a hub token, package server/hubserver)
// instead of connecting to the store's database: thousands of Flow
// processes then cost the database the hub's few connections, not two
// each. Importing it registers the "vap+http" and "vap+https" store URL
// schemes:
//
//	VAP_STORE='vap+https://hub.internal:5000'
//	VAP_HUB_TOKEN=…            # the hub's read-only token
//	VAP_KEYSET_FILE=/etc/vap/keyset.json
//
// The hub serves records sealed, as stored; this process opens the secrets
// with its own keyset (the hub has none). The backend is read-only: create,
// update and delete connections against the store itself or through the
// admin API.
//
// The token comes from the URL's password (vap+https://:TOKEN@host),
// else the token_file parameter (a file only its owner can read), else
// VAP_HUB_TOKEN. It travels in the Authorization header only, and no error
// repeats it. Other parameters: timeout (each request, default 10s) and
// ca_file (PEM roots for the hub's certificate instead of the system's).
//
// Opening makes no request: a short-lived process pays one round trip to
// resolve a name. Watch follows the hub's server-sent events; the hub
// reports every change right after its commit, and pings every few
// seconds so that a silent hub is noticed. A watch that fails is tried
// again after a growing, jittered pause, so that processes do not all
// come back at once after a hub restart.
package hub
