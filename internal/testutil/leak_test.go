package testutil

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContainsAnyMarks(t *testing.T) {
	stack := "main.f()\n\tgithub.com/webnet-go/webnet/fetch.(*Client).Do(...)"
	assert.True(t, containsAny(stack, leakMarkers))
	assert.False(t, containsAny("main.f()\n\truntime.gopark()", leakMarkers))
}

// A pooled keep-alive connection is exactly what the check must see, and
// closing it must make the check pass again.
func TestLeakedSeesOpenConnectionUntilClosed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "hi")
	}))
	tr := &http.Transport{}
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())

	assert.NotEmpty(t, Leaked(0), "an idle keep-alive connection must be reported")

	tr.CloseIdleConnections()
	srv.Close()
	assert.Empty(t, Leaked(5*time.Second))
}
