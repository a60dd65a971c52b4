package azuread

import (
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// SetTransport makes the package's Entra ID requests go through t (a
// client trusting the fake authority's test CA).
func SetTransport(t policy.Transporter) { transport = t }

// SetClock sets the clock of every token source a has made.
func SetClock(a *Auth, now func() time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range a.sources {
		s.mu.Lock()
		s.now = now
		s.mu.Unlock()
	}
}
