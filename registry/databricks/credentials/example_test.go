package credentials_test

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/vapsql/vap/registry/databricks/credentials"
)

// A Cached source shares one token among concurrent callers.
func ExampleCached() {
	var mu sync.Mutex
	fetches := 0
	src := credentials.SourceFunc(func(context.Context) (*oauth2.Token, error) {
		mu.Lock()
		defer mu.Unlock()
		fetches++
		return &oauth2.Token{AccessToken: fmt.Sprintf("token-%d", fetches), Expiry: time.Now().Add(time.Hour)}, nil
	})
	c := credentials.NewCached(src, credentials.ExchangeInterval, nil)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Token(context.Background())
		}()
	}
	wg.Wait()
	t, _ := c.Token(context.Background())
	fmt.Println(t.AccessToken, c.Fetches())
	// Output: token-1 1
}

// On Posit Connect the content strategy exchanges the session token;
// elsewhere it falls back to the connection's own credentials.
func ExampleContent() {
	off := credentials.DetectPlatform(func(string) (string, bool) { return "", false })
	_, err := credentials.Content(off, nil, nil)
	fmt.Println(off.OnConnect())
	fmt.Println(err)
	// Output:
	// false
	// credentials: choose a credential strategy: not running on Posit Connect (unset: CONNECT_SERVER, CONNECT_API_KEY, CONNECT_CONTENT_SESSION_TOKEN_FILE or CONNECT_CONTENT_SESSION_TOKEN) and the connection has no local credentials (client_id and client_secret, or access_token)
}
