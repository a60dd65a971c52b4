// Command vap manages named database connections and runs ad hoc queries
// through them.
//
//	vap conn create -f payload.json          # the platform's create payload (or -f - for stdin)
//	vap conn create NAME --type postgresql --set host=db --set user_name=ben --secret password
//	vap conn list
//	vap conn show NAME                       # secrets shown as ********
//	vap conn test NAME                       # open and ping; exit status 1 on failure
//	vap conn delete NAME
//	vap query NAME "SELECT …" --format table|csv|json
//
// The store is the default one (VAP_STORE, else $VAP_HOME/store.db) unless
// --store names another. Exit status: 0 success, 1 failure, 2 usage error.
package main
