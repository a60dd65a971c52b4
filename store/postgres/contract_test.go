package postgres_test

import (
	"testing"

	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) backend.Backend { return openTemp(t) })
}
