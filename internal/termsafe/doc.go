// Package termsafe makes text safe to print on a terminal: names and types
// read from a store or a request may hold escape sequences, other control
// characters or bidirectional overrides that would rewrite what a user sees.
package termsafe
