// Package testenv gives tests the machine's database servers and a private
// connection store. A test that needs a server calls Postgres or MySQL: when
// the server is unreachable the test is skipped naming the variable to set,
// unless VAP_TEST_REQUIRE_SERVERS=1 (CI), which turns the skip into a failure.
package testenv
