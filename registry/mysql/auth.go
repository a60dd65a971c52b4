package mysql

import (
	"github.com/vapsql/vap/registry"
)

// AuthAWSIAM is the auth_type whose password is an RDS/Aurora IAM token
// minted at connect time by github.com/vapsql/vap/credential/awsiam.
const AuthAWSIAM = "aws-iam"

// awsFields are the fields of auth_type aws-iam: where the AWS credentials
// come from (see credential/awsiam).
var awsFields = []string{"auth_type", "aws_region", "aws_profile", "aws_role_arn", "aws_external_id", "aws_role_session_name"}

// iamTLS are the options.tls values under which the token, sent with
// mysql_clear_password, never crosses the network in the clear: "true"
// (verified) and "skip-verify" (encrypted, unverified). "preferred" falls
// back to a plain connection and "false" is one.
var iamTLS = map[string]bool{"true": true, "skip-verify": true}

// checkAuth checks the auth fields when the connection is stored: with
// aws-iam there is no stored password
// and options.tls requires TLS; without it no aws_ field is set. The
// shapes of the AWS values are checked by credential/awsiam's Validate.
func checkAuth(p registry.Params) error {
	bad := func(f, reason string) error { return &registry.FieldError{Type: p.Type(), Field: f, Reason: reason} }
	// An auth_type the type does not list is refused by Type.Validate
	// (CredentialAuths); the fields of aws-iam are checked here.
	if p.Get("auth_type") != AuthAWSIAM {
		for _, f := range awsFields[1:] {
			if _, ok := p.Lookup(f); ok {
				return bad(f, "is used only with auth_type "+AuthAWSIAM)
			}
		}
		return nil
	}
	if _, ok := p.Lookup("password"); ok {
		return bad("password", "must be absent with auth_type "+AuthAWSIAM+": the password is minted at each connection")
	}
	for _, f := range []string{"aws_external_id", "aws_role_session_name"} {
		if _, ok := p.Lookup(f); ok && p.Get("aws_role_arn") == "" {
			return bad(f, "is used only with aws_role_arn")
		}
	}
	return requireTLS(p)
}

// requireTLS refuses aws-iam unless options.tls is true or skip-verify
// (the default, preferred, may fall back to a plain connection).
func requireTLS(p registry.Params) error {
	if v, _ := p.Option("tls"); !iamTLS[v] {
		return &registry.FieldError{Type: p.Type(), Field: registry.OptionPrefix + "tls", Reason: "must be true or skip-verify with auth_type " + AuthAWSIAM + " (the token is sent in clear text inside the connection, which must be TLS)"}
	}
	return nil
}
