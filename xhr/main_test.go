package xhr

import (
	"net/http"
	"testing"

	"github.com/webnet-go/webnet/fetch"
	"github.com/webnet-go/webnet/internal/testutil"
)

func TestMain(m *testing.M) { testutil.VerifyNoLeaks(m) }

// newClient returns a fetch.Client with a transport of its own, whose idle
// connections are closed when the test ends.
func newClient(t testing.TB) *fetch.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &fetch.Client{HTTPClient: &http.Client{Transport: tr}}
}

// newXHR returns an XMLHttpRequest bound to the test's context, sending
// with a client of its own and resolving relative URLs against base.
func newXHR(t testing.TB, base string) *XMLHttpRequest {
	return New(t.Context(), &Options{Client: newClient(t), BaseURL: base})
}
