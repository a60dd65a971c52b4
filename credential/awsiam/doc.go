// Package awsiam provides auth_type "aws-iam": credentials minted by AWS
// at each new physical connection, with AWS's own SDK (aws-sdk-go-v2),
// so that no long-lived database password is stored. Import it for its
// side effect:
//
//	import _ "github.com/vapsql/vap/credential/awsiam"
//
// # postgresql and mysql: RDS and Aurora IAM authentication
//
// The password of each new connection is an IAM authentication token built
// by github.com/aws/aws-sdk-go-v2/feature/rds/auth.BuildAuthToken for
// host:port, the region and user_name: a SigV4-presigned URL
// ("HOST:PORT/?Action=connect&DBUser=…&X-Amz-Signature=…") that the server
// accepts for 15 minutes, or until the AWS credentials that signed it
// expire, whichever comes first; that is Minted.Expires. The server checks
// the token at login only, so a connection outlives it. TLS is required
// (postgresql: options.sslmode require, verify-ca or verify-full; mysql:
// options.tls true or skip-verify, and the token is sent with
// mysql_clear_password), and the connection stores no password.
//
// # sqlalchemy-redshift: temporary credentials
//
// With cluster_identifier, Redshift's GetClusterCredentials mints a
// password for the database user user_name (db_groups, a comma-separated
// list, and auto_create are passed on); with workgroup_name, Redshift
// Serverless's GetCredentials mints both the user (named by AWS after the
// IAM identity) and its password. dbname and duration_seconds (900 to
// 3600, default 900) are passed on. Minted.Expires is the answer's
// Expiration; connections are ended at that time as well
// (Minted.ConnLifetime), which is conservative.
//
// # Where the AWS credentials come from
//
// From the standard chain of aws-sdk-go-v2/config.LoadDefaultConfig: the
// AWS_* environment variables, the shared config and credentials files
// (the profile aws_profile, else AWS_PROFILE or default), web identity
// (EKS IRSA), ECS and EC2 instance roles. aws_region sets the region (else
// AWS_REGION or the profile's). With aws_role_arn, those credentials assume
// that role through STS first (aws_external_id and aws_role_session_name,
// default "vap", are passed on); the role's credentials are cached and
// renewed by the SDK. Service endpoints follow the SDK's settings, such as
// AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_REDSHIFT and
// AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS (VPC endpoints, or local fakes in
// tests).
//
// One AWS configuration is kept per distinct set of these fields, so the
// SDK's credential cache (and an assumed role's session) is shared by the
// connections that use it. The caller (vap's connector) caches what Mint
// returns and asks once for many concurrent connects.
//
// Errors name fields, never values; tokens and passwords appear in none.
package awsiam
