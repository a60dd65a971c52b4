// Package storescale holds the store scale test: many Flow processes that
// resolve a name from one shared PostgreSQL store (a private cluster with
// max_connections = 100), query the machine's PostgreSQL, and, for half of
// them, stay up and watch for a change. It reports failures, the peak
// number of store connections (pg_stat_activity), the p99 name-resolution
// latency and how late the last live process saw an update, in three
// setups: directly (watch=listen), behind PgBouncer in transaction pooling
// mode (watch=poll), and through the store hub (server/hubserver in a
// child process, as `vap serve` with a hub token runs it; processes use
// VAP_STORE=vap+http://…), for which it also reports the hub's CPU time
// and memory per watcher. Each line gives the load average before and
// after: the machine is shared.
//
// CI runs a small version. Run the full one by hand:
//
//	VAP_SCALE_PROCS=200 VAP_SCALE_SPAN=60s go test ./internal/storescale -run TestStoreScale -v -timeout 30m
//
// VAP_SCALE_PROCS (default 10) is the number of processes, VAP_SCALE_QUERIES
// (default 20) the queries each runs, spread over VAP_SCALE_SPAN (default
// 3s). The package has no code of its own.
package storescale
