package websocket

import (
	"testing"

	"github.com/webnet-go/webnet/internal/testutil"
)

// TestMain fails the test binary when a test leaves a goroutine of this
// package, of coder/websocket or of a net/http connection running.
func TestMain(m *testing.M) {
	testutil.VerifyNoLeaks(m, func() {
		defaultClient.CloseIdleConnections()
		benchClient.CloseIdleConnections()
	})
}
