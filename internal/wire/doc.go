// Package wire decodes the first packets that the SQL Server and Oracle
// drivers send, so tests can run the real driver against a loopback listener
// and check what it put on the wire: the TDS PRELOGIN and LOGIN7 packets
// (user, de-obfuscated password, database) and the TNS CONNECT descriptor
// (host, port, SERVICE_NAME or SID). It also writes the few server answers
// such a test needs (a PRELOGIN response saying "encryption not
// supported"). It is test support, not a server: it understands nothing
// past the login.
package wire
