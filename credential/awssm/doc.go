// Package awssm resolves secret references to AWS Secrets Manager, scheme
// "aws-sm", and registers itself when imported:
//
//	import _ "github.com/vapsql/vap/credential/awssm"
//
// A reference names a secret by name or ARN, and optionally one key of its
// JSON SecretString and a version:
//
//	{"ref": "aws-sm:prod/orders"}                         the whole SecretString
//	{"ref": "aws-sm:prod/orders#password"}                the "password" key of its JSON
//	{"ref": "aws-sm:arn:aws:secretsmanager:eu-west-3:123456789012:secret:prod/orders-AbCdEf#password"}
//	{"ref": "aws-sm:prod/orders?version-stage=AWSPREVIOUS#password"}
//	{"ref": "aws-sm:prod/orders?version-id=EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE"}
//
// Credentials and region come from the AWS SDK's standard chain
// (environment, shared config and credentials files, SSO, web identity,
// container and instance roles); an ARN's own region is used for that
// secret. AWS_ENDPOINT_URL_SECRETS_MANAGER (or AWS_ENDPOINT_URL) points the
// client at another endpoint, a VPC endpoint or a test server.
//
// A JSON key's value may be a string, a number or a boolean (RDS-managed
// secrets store "port" as a number); it is used as its text. A binary
// secret (SecretBinary) is refused. Errors name the reference and the
// AWS error code, never the secret, a part of it, or the credentials.
//
// This package is the only one that links the AWS SDK for Secrets Manager:
// a Flow that does not import it does not compile it.
package awssm
