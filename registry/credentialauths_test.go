package registry_test

import (
	"errors"
	"testing"

	"github.com/vapsql/vap/registry"
)

// TestCredentialAuthsRefusesOthers: a type that lists CredentialAuths
// refuses any other auth_type (it would be ignored and the stored
// password used); a type that lists none leaves auth_type to its Check.
func TestCredentialAuthsRefusesOthers(t *testing.T) {
	minted := &registry.Type{Name: "t", Required: []string{"host"}, Optional: []string{"auth_type"}, CredentialAuths: []string{"aws-iam"}}
	own := &registry.Type{Name: "u", Required: []string{"host"}, Optional: []string{"auth_type"}}
	p := func(at string) registry.Params {
		return registry.NewParams("c", "t", map[string]string{"host": "h", "auth_type": at})
	}
	if err := minted.Validate(p("aws-iam")); err != nil {
		t.Errorf("listed auth_type: %v", err)
	}
	var fe *registry.FieldError
	if err := minted.Validate(p("aws-iam-typo")); !errors.As(err, &fe) || fe.Field != "auth_type" {
		t.Errorf("unlisted auth_type: %v", err)
	}
	if err := own.Validate(p("pat")); err != nil {
		t.Errorf("a type without CredentialAuths: %v", err)
	}
}
