package awsiam

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshift"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"

	"github.com/vapsql/vap/credential"
	"github.com/vapsql/vap/registry"
)

// DefaultDuration is how long Redshift's temporary credentials last when
// duration_seconds is not set (the APIs' own default).
const DefaultDuration = 900 * time.Second

// Redshift mints temporary database credentials for sqlalchemy-redshift
// connections: GetClusterCredentials for cluster_identifier, Redshift
// Serverless GetCredentials for workgroup_name. The zero value is ready to
// use; it is safe for concurrent use.
type Redshift struct {
	configs configs
}

// Validate checks the fields of p (see the package documentation).
func (a *Redshift) Validate(p registry.Params) error {
	bad := func(f, reason string) error { return &registry.FieldError{Type: p.Type(), Field: f, Reason: reason} }
	cluster, wg := p.Get("cluster_identifier"), p.Get("workgroup_name")
	switch {
	case (cluster == "") == (wg == ""):
		return bad("cluster_identifier", "or workgroup_name, exactly one, is required with auth_type "+AuthType)
	case cluster != "" && p.Get("user_name") == "":
		return bad("user_name", "is required (the DbUser of GetClusterCredentials)")
	}
	if _, err := p.Bool("auto_create", false); err != nil {
		return err
	}
	if _, err := duration(p); err != nil {
		return err
	}
	return validate(p)
}

func duration(p registry.Params) (int32, error) {
	v, ok := p.Lookup("duration_seconds")
	if !ok {
		return int32(DefaultDuration / time.Second), nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 900 || n > 3600 || strings.TrimSpace(v) != v {
		return 0, &registry.FieldError{Type: p.Type(), Field: "duration_seconds", Reason: "must be a whole number of seconds from 900 to 3600"}
	}
	return int32(n), nil
}

// Mint asks Redshift for temporary credentials and returns them as
// {"user_name": DbUser, "password": DbPassword}.
func (a *Redshift) Mint(ctx context.Context, p registry.Params) (credential.Minted, error) {
	if err := a.Validate(p); err != nil {
		return credential.Minted{}, err
	}
	cfg, err := a.configs.load(ctx, p)
	if err != nil {
		return credential.Minted{}, err
	}
	if _, err := credentials(ctx, cfg, p); err != nil {
		return credential.Minted{}, err
	}
	secs, _ := duration(p)
	var db *string
	if v := p.Get("dbname"); v != "" {
		db = aws.String(v)
	}
	var user, password *string
	var expires *time.Time
	if c := p.Get("cluster_identifier"); c != "" {
		in := &redshift.GetClusterCredentialsInput{
			ClusterIdentifier: aws.String(c),
			DbUser:            aws.String(p.Get("user_name")),
			DbName:            db,
			DurationSeconds:   aws.Int32(secs),
		}
		if _, ok := p.Lookup("auto_create"); ok {
			ac, _ := p.Bool("auto_create", false)
			in.AutoCreate = aws.Bool(ac)
		}
		for _, g := range strings.Split(p.Get("db_groups"), ",") {
			if g = strings.TrimSpace(g); g != "" {
				in.DbGroups = append(in.DbGroups, g)
			}
		}
		out, err := redshift.NewFromConfig(cfg).GetClusterCredentials(ctx, in)
		if err != nil {
			return credential.Minted{}, fmt.Errorf("awsiam: Redshift GetClusterCredentials (cluster_identifier, user_name): %w", err)
		}
		user, password, expires = out.DbUser, out.DbPassword, out.Expiration
	} else {
		in := &redshiftserverless.GetCredentialsInput{
			WorkgroupName:   aws.String(p.Get("workgroup_name")),
			DbName:          db,
			DurationSeconds: aws.Int32(secs),
		}
		out, err := redshiftserverless.NewFromConfig(cfg).GetCredentials(ctx, in)
		if err != nil {
			return credential.Minted{}, fmt.Errorf("awsiam: Redshift Serverless GetCredentials (workgroup_name): %w", err)
		}
		user, password, expires = out.DbUser, out.DbPassword, out.Expiration
	}
	if user == nil || *user == "" || password == nil || *password == "" || expires == nil || expires.IsZero() {
		return credential.Minted{}, errors.New("awsiam: Redshift answered without a user, a password or an expiration")
	}
	m := credential.Minted{
		Fields:  map[string]string{"user_name": *user, "password": *password},
		Expires: *expires,
	}
	if life := time.Until(*expires); life > 0 {
		m.ConnLifetime = life
	}
	return m, nil
}
