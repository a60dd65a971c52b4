package credentials

import (
	"context"
	"errors"

	"golang.org/x/oauth2"
)

// Static returns a source that always yields token (a personal access
// token). An empty token is an error: the driver would otherwise send no
// Authorization header at all.
func Static(token string) Source {
	return SourceFunc(func(context.Context) (*oauth2.Token, error) {
		if token == "" {
			return nil, &Error{Step: StepStatic, Err: errors.New("access_token is empty")}
		}
		return &oauth2.Token{AccessToken: token, TokenType: "Bearer"}, nil
	})
}
