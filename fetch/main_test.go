package fetch

import (
	"net/http"
	"sync"
	"testing"

	"github.com/webnet-go/webnet/internal/testutil"
)

func TestMain(m *testing.M) {
	testutil.VerifyNoLeaks(m, defaultTransport.CloseIdleConnections, closeTestTransports)
}

var (
	testTransportsMu sync.Mutex
	testTransports   []*http.Transport
)

// newTestClient returns a Client with a transport of its own, whose idle
// connections are closed when the test ends (and again before the leak
// check).
func newTestClient(t testing.TB) *Client {
	tr := newDefaultTransport()
	testTransportsMu.Lock()
	testTransports = append(testTransports, tr)
	testTransportsMu.Unlock()
	t.Cleanup(tr.CloseIdleConnections)
	return &Client{HTTPClient: &http.Client{Transport: tr}}
}

func closeTestTransports() {
	testTransportsMu.Lock()
	defer testTransportsMu.Unlock()
	for _, tr := range testTransports {
		tr.CloseIdleConnections()
	}
}
