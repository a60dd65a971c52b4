package stdlib_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

// TestWithRegistry: the connector looks the type up in its own registry,
// not in the store's. An empty registry knows no type, and the error names
// the package that would register it.
func TestWithRegistry(t *testing.T) {
	st := testenv.Store(t)
	testenv.Put(t, st, "lite", "sqlite", map[string]string{"path": filepath.Join(t.TempDir(), "x.db")})
	_, err := stdlib.NewConnector("lite", stdlib.WithStore(st), stdlib.WithRegistry(&registry.Registry{}))
	var ce *stdlib.ConnectError
	if !errors.As(err, &ce) || ce.Conn != "lite" || ce.Op != stdlib.OpResolve || !errors.Is(err, registry.ErrUnknownType) ||
		!strings.Contains(err.Error(), `add import _ "github.com/vapsql/vap/registry/sqlite"`) {
		t.Fatalf("empty registry: %v", err)
	}
	if _, err := stdlib.NewConnector("lite", stdlib.WithStore(st), stdlib.WithRegistry(registry.Default)); err != nil {
		t.Fatalf("default registry: %v", err)
	}
}

// TestConnectErrorHoldsNoSecret: a failed physical connection is a
// ConnectError with the name and type, and neither it nor its %#v
// rendering holds the password.
func TestConnectErrorHoldsNoSecret(t *testing.T) {
	const secret = "s3cr%t/pa ss"
	st := testenv.Store(t)
	// Nothing listens on port 1: the connect fails fast.
	testenv.Put(t, st, "closed", "postgresql", map[string]string{"host": "127.0.0.1", "port": "1", "user_name": "u", "password": secret, "options.sslmode": "disable"})
	c, err := stdlib.NewConnectorContext(context.Background(), "closed", stdlib.WithStore(st))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Connect(context.Background())
	var ce *stdlib.ConnectError
	if !errors.As(err, &ce) || ce.Conn != "closed" || ce.Type != "postgresql" || ce.Op != stdlib.OpConnect {
		t.Fatalf("connect: %v", err)
	}
	if !strings.HasPrefix(err.Error(), `vap: connect "closed" (postgresql): `) {
		t.Errorf("message %q", err)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%#v", err), fmt.Sprintf("%+v", ce)} {
		if strings.Contains(s, secret) || strings.Contains(s, "s3cr") {
			t.Fatalf("error holds the secret: %s", s)
		}
	}
}

// TestMissingNameIsNotWrapped: the missing-name error keeps its exact text.
func TestMissingNameIsNotWrapped(t *testing.T) {
	_, err := stdlib.NewConnectorContext(context.Background(), "nobody", stdlib.WithStore(testenv.Store(t)))
	var nf *store.NotFoundError
	if !errors.As(err, &nf) || err.Error() != fmt.Sprintf(missingText, "nobody") {
		t.Fatalf("missing name: %v", err)
	}
	var ce *stdlib.ConnectError
	if errors.As(err, &ce) {
		t.Fatal("the missing-name error is wrapped")
	}
}

// TestResolveTakesContext: a cancelled context stops resolution against a
// store that has to be opened.
func TestResolveTakesContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h, _ := store.NewKeyset()
	st := store.Open(store.WithKeyset(h), store.WithURL("postgres://root@127.0.0.1:5432/test?sslmode=disable&connect_timeout=5"), store.WithoutEnvOverrides())
	defer st.Close()
	_, err := stdlib.NewConnectorContext(ctx, "x", stdlib.WithStore(st))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled resolve: %v", err)
	}
	var ce *stdlib.ConnectError
	if !errors.As(err, &ce) || ce.Op != stdlib.OpResolve {
		t.Fatalf("not a resolve ConnectError: %v", err)
	}
}
