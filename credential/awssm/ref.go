package awssm

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// Ref is a parsed aws-sm reference: what follows "aws-sm:".
type Ref struct {
	SecretID     string // name or ARN
	Key          string // JSON key of SecretString; empty: the whole string
	VersionStage string // optional
	VersionID    string // optional
}

// ParseRef parses SECRET_ID[?version-stage=S|?version-id=ID][#KEY]. Secret
// names hold letters, digits and /_+=.@- only, so neither "?" nor "#" can
// be part of one.
func ParseRef(ref string) (Ref, error) {
	var r Ref
	rest, key, hasKey := strings.Cut(ref, "#")
	if hasKey {
		if key == "" {
			return Ref{}, errors.New("empty key after #")
		}
		r.Key = key
	}
	id, query, hasQuery := strings.Cut(rest, "?")
	if id == "" {
		return Ref{}, errors.New("no secret name or ARN")
	}
	if strings.ContainsAny(id, " \t\r\n") {
		return Ref{}, errors.New("the secret name has white space")
	}
	r.SecretID = id
	if hasQuery {
		q, err := url.ParseQuery(query)
		if err != nil {
			return Ref{}, errors.New("the version part does not parse (version-stage=STAGE or version-id=ID)")
		}
		for k, v := range q {
			if len(v) != 1 || v[0] == "" {
				return Ref{}, errors.New(k + " needs exactly one value")
			}
			switch k {
			case "version-stage":
				r.VersionStage = v[0]
			case "version-id":
				r.VersionID = v[0]
			default:
				return Ref{}, errors.New("unknown parameter " + strconv.Quote(k) + " (version-stage or version-id)")
			}
		}
		if r.VersionStage != "" && r.VersionID != "" {
			return Ref{}, errors.New("give version-stage or version-id, not both")
		}
	}
	return r, nil
}

// arnRegion returns the region of a Secrets Manager ARN
// (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME).
func arnRegion(id string) (string, bool) {
	if !strings.HasPrefix(id, "arn:") {
		return "", false
	}
	parts := strings.SplitN(id, ":", 7)
	if len(parts) < 7 || parts[2] != "secretsmanager" || parts[3] == "" {
		return "", false
	}
	return parts[3], true
}
