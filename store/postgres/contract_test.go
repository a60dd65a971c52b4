package postgres_test

import (
	"testing"

	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Backend { return openTemp(t) })
}
