package main

// The vap command mints the short-lived credentials of the auth types vap
// ships, so that `vap conn test` and `vap query` open connections stored
// with auth_type aws-iam or azure-ad (a program using the driver links
// them only by importing these packages itself).
import (
	_ "github.com/vapsql/vap/credential/awsiam"
	_ "github.com/vapsql/vap/credential/azuread"
)
