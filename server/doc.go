// Package server is the connection store's REST endpoint, compatible with
// the platform's: the same create path and body, so existing scripts keep
// working against vap.
//
//	POST /controller/connection/create/   {"name": …, "connection_data": {…}}   → 201
//	GET  /controller/connection/list/                                              → 200
//	GET  /controller/connection/show/?name=NAME   (or POST {"name": …})            → 200, secrets as ********
//	POST /controller/connection/update/   {"name": …, "connection_data": {…}}   → 200
//	POST /controller/connection/delete/   {"name": …}                              → 200
//	POST /controller/connection/test/     {"name": …}                              → 200, or 502 when the database refuses
//
// Every request needs "Authorization: Bearer TOKEN"; the token is compared
// in constant time. Bodies are limited to MaxBody bytes. Every error is a
// JSON object {"error": "…"} with a 4xx or 5xx status, and a rejected
// request changes nothing. No response and no log line holds a secret:
// show redacts, and errors pass through the driver's secret scrubbing.
//
// New(Config{Store: st, Token: tok}) returns the http.Handler; `vap serve`
// runs it.
package server
