// Package sqliteuri builds SQLite "file:" URIs from a path and parameters,
// escaping the path so that no character of it is read as URI syntax.
package sqliteuri
