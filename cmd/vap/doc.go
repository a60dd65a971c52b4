// Command vap manages named database connections and runs ad hoc queries
// through them.
//
//	vap conn create -f payload.json          # the platform's create payload (or -f - for stdin)
//	vap conn create NAME --type postgresql --set host=db --set user_name=ben --secret password
//	vap conn list                            # stored and VAP_CONN_* connections; -o json
//	vap conn show NAME                       # secrets shown as ********; -o json
//	vap conn update NAME --set host=db2      # only the given fields change
//	vap conn test NAME                       # open and ping; exit status 1 on failure
//	vap conn test --all                      # a line per connection
//	vap conn export --output conns.json      # secrets stay sealed
//	vap conn import conns.json               # all or nothing
//	vap conn delete NAME
//	vap query NAME "SELECT …"                # streams; --format csv (or tsv, json, ndjson)
//	vap copy SRC DST --query "SELECT …" --table T [--create]   # all or nothing, bulk path
//	vap keys init                            # a new keyset file, no store
//
// The store is the default one (VAP_STORE, else $VAP_HOME/store.db) unless
// --store names another.
//
// Exit status: 0 success; 1 failure (the server refused, a connection failed
// its test, a file could not be read); 2 usage error (unknown command or
// flag, wrong number of arguments, a bad flag value), printed with the
// usage line; 130 interrupted by SIGINT or SIGTERM, after the running
// statement was cancelled on the server. Names and values from the store or
// the server are printed with control characters escaped (\x1b).
package main
