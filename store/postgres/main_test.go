package postgres_test

import (
	"os"
	"testing"

	"github.com/vapsql/vap/store/storetest"
)

func TestMain(m *testing.M) {
	storetest.LiveWriterMain()
	os.Exit(m.Run())
}
