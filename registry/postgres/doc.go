// Package postgres registers the PostgreSQL-wire types, served by pgx
// (github.com/jackc/pgx/v5/stdlib):
//
//   - postgresql (aliases postgres, pg), default port 5432, sslmode=prefer;
//   - sqlalchemy-redshift (aliases redshift, redshift+psycopg2), default port
//     5439, sslmode=require unless the connection sets options.sslmode.
//
// The pgx configuration is built from a net/url URL without credentials, then
// User and Password are set on the parsed config, so no character of a
// password is ever read as URL syntax. pgx merges PG* environment variables
// and ~/.pgpass into what a URL leaves unset; every key that matters (host,
// port, database, user, password, sslmode, connect_timeout,
// application_name, target_session_attrs) is therefore set explicitly.
package postgres
