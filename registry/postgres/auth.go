package postgres

import (
	"slices"
	"strconv"

	"github.com/vapsql/vap/registry"
)

// AuthAWSIAM is the auth_type whose credentials are minted at connect time
// by the package github.com/vapsql/vap/credential/awsiam: an RDS/Aurora IAM
// token as the password of a postgresql connection, Redshift temporary
// credentials (user and password) for a sqlalchemy-redshift one.
const AuthAWSIAM = "aws-iam"

// awsFields are the fields of auth_type aws-iam on every PostgreSQL-wire
// type: where the AWS credentials come from (see credential/awsiam).
var awsFields = []string{"auth_type", "aws_region", "aws_profile", "aws_role_arn", "aws_external_id", "aws_role_session_name"}

// redshiftFields are the fields of Redshift's temporary credentials:
// GetClusterCredentials for a provisioned cluster, GetCredentials for a
// Serverless workgroup.
var redshiftFields = []string{"cluster_identifier", "workgroup_name", "db_groups", "auto_create", "duration_seconds"}

// tlsModes are the sslmode values under which pgx never sends a password
// in the clear: an IAM token is a bearer credential for 15 minutes.
var tlsModes = map[string]bool{"require": true, "verify-ca": true, "verify-full": true}

// checkAuth checks the auth fields of a connection when it is stored:
// with auth_type aws-iam there is no stored password
// (it is minted), TLS is required, and for Redshift exactly one of
// cluster_identifier and workgroup_name names the cluster; without it no
// aws_ or Redshift field is set. user_name is required except where
// Redshift Serverless mints it. The shapes of the AWS values (region, role
// ARN) are checked by credential/awsiam's Validate. Errors name fields,
// never values.
func checkAuth(p registry.Params, defSSL string, redshift bool) error {
	bad := func(f, reason string) error { return &registry.FieldError{Type: p.Type(), Field: f, Reason: reason} }
	// An auth_type the type does not list is refused by Type.Validate
	// (CredentialAuths); the fields of aws-iam are checked here.
	iam := p.Get("auth_type") == AuthAWSIAM
	if !iam {
		for _, f := range append(slices.Clone(awsFields[1:]), redshiftFields...) {
			if _, ok := p.Lookup(f); ok {
				return bad(f, "is used only with auth_type "+AuthAWSIAM)
			}
		}
		if p.Get("user_name") == "" {
			return bad("user_name", "is required")
		}
		return nil
	}
	if _, ok := p.Lookup("password"); ok {
		return bad("password", "must be absent with auth_type "+AuthAWSIAM+": the password is minted at each connection")
	}
	if err := requireTLS(p, defSSL); err != nil {
		return err
	}
	if _, ok := p.Lookup("aws_external_id"); ok && p.Get("aws_role_arn") == "" {
		return bad("aws_external_id", "is used only with aws_role_arn")
	}
	if _, ok := p.Lookup("aws_role_session_name"); ok && p.Get("aws_role_arn") == "" {
		return bad("aws_role_session_name", "is used only with aws_role_arn")
	}
	cluster, serverless := p.Get("cluster_identifier"), p.Get("workgroup_name")
	if !redshift {
		if p.Get("user_name") == "" {
			return bad("user_name", "is required (the database user the IAM token is for)")
		}
		return nil
	}
	switch {
	case cluster == "" && serverless == "":
		return bad("cluster_identifier", "or workgroup_name is required with auth_type "+AuthAWSIAM+" (the cluster or Serverless workgroup whose temporary credentials are minted)")
	case cluster != "" && serverless != "":
		return bad("workgroup_name", "must not be set together with cluster_identifier")
	case cluster != "":
		if p.Get("user_name") == "" {
			return bad("user_name", "is required (the DbUser of GetClusterCredentials)")
		}
	default:
		if _, ok := p.Lookup("user_name"); ok {
			return bad("user_name", "must be absent with workgroup_name: Redshift Serverless names the user from the IAM identity")
		}
		for _, f := range []string{"db_groups", "auto_create"} {
			if _, ok := p.Lookup(f); ok {
				return bad(f, "is used only with cluster_identifier (GetClusterCredentials)")
			}
		}
	}
	if _, err := p.Bool("auto_create", false); err != nil {
		return err
	}
	if v, ok := p.Lookup("duration_seconds"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || !digits(v) || n < 900 || n > 3600 {
			return bad("duration_seconds", "must be a whole number of seconds from 900 to 3600")
		}
	}
	return nil
}

// requireTLS refuses aws-iam over a connection that may send the token in
// the clear: sslmode (the type's default when unset) must be require,
// verify-ca or verify-full.
func requireTLS(p registry.Params, defSSL string) error {
	m, ok := p.Option("sslmode")
	if !ok {
		m = defSSL
	}
	if !tlsModes[m] {
		return &registry.FieldError{Type: p.Type(), Field: registry.OptionPrefix + "sslmode", Reason: "must be require, verify-ca or verify-full with auth_type " + AuthAWSIAM + " (the token would otherwise be sent without TLS)"}
	}
	return nil
}
