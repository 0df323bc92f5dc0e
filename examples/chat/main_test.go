package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/examples/chat/room"
	"github.com/webnet-go/webnet/internal/testutil"
)

func TestMain(m *testing.M) { testutil.VerifyNoLeaks(m) }

// startRoom serves a room on a loopback server for the test.
func startRoom(t *testing.T) (*room.Room, *httptest.Server) {
	r := room.New()
	srv := httptest.NewServer(r)
	t.Cleanup(func() {
		r.Close()
		srv.Close()
	})
	return r, srv
}

// Several clients talk at once: every client receives every message, all
// in the same order, and each sender's messages in the order it sent them.
func TestEveryClientReceivesEveryMessageInOrder(t *testing.T) {
	r, srv := startRoom(t)
	const clients, perClient = 5, 40
	var cs []*Client
	for range clients {
		c, err := Join(t.Context(), srv.URL+"/chat") // http: is mapped to ws:
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		cs = append(cs, c)
	}
	require.Equal(t, clients, r.Clients())

	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() {
			for j := range perClient {
				assert.NoError(t, c.Send(fmt.Sprintf("%d-%d", i, j)))
			}
		})
	}
	wg.Wait()

	var first []string
	for i, c := range cs {
		var got []string
		for range clients * perClient {
			msg, err := c.Receive(t.Context())
			require.NoError(t, err, "client %d after %d messages", i, len(got))
			got = append(got, msg)
		}
		if i == 0 {
			first = got
		} else {
			assert.Equal(t, first, got, "client %d saw another order", i)
		}
		next := make([]int, clients)
		for _, msg := range got {
			var from, n int
			_, err := fmt.Sscanf(msg, "%d-%d", &from, &n)
			require.NoError(t, err, msg)
			assert.Equal(t, next[from], n, "client %d: sender %d out of order", i, from)
			next[from] = n + 1
		}
	}
}

// Messages are cut to 50 characters (not bytes), like the chapter's
// server.
func TestMessagesAreCutTo50Characters(t *testing.T) {
	_, srv := startRoom(t)
	c, err := Join(t.Context(), srv.URL+"/chat")
	require.NoError(t, err)
	defer c.Close()
	for _, tc := range []struct{ in, want string }{
		{"short", "short"},
		{strings.Repeat("x", 50), strings.Repeat("x", 50)},
		{strings.Repeat("x", 51), strings.Repeat("x", 50)},
		{strings.Repeat("é", 60), strings.Repeat("é", 50)},
		{"", ""},
	} {
		require.NoError(t, c.Send(tc.in))
		got, err := c.Receive(t.Context())
		require.NoError(t, err)
		assert.Equal(t, tc.want, got)
	}
}

// The chapter's page is served at the room's root.
func TestPage(t *testing.T) {
	_, srv := startRoom(t)
	resp, err := http.Get(srv.URL + "/")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	assert.Contains(t, string(body), `<form name="publish">`)
	assert.Contains(t, string(body), `new WebSocket(url)`)
	http.DefaultClient.CloseIdleConnections()
}

// Closing the room disconnects its clients with 1001.
func TestRoomClose(t *testing.T) {
	r, srv := startRoom(t)
	c, err := Join(t.Context(), srv.URL+"/chat")
	require.NoError(t, err)
	r.Close()
	_, err = c.Receive(t.Context())
	assert.ErrorContains(t, err, "code 1001")
	assert.Zero(t, r.Clients())
	require.NoError(t, c.Close())
}

// The program's demo runs to its end.
func TestDemo(t *testing.T) {
	_, srv := startRoom(t)
	var out strings.Builder
	require.NoError(t, demo(t.Context(), &out, "ws"+strings.TrimPrefix(srv.URL, "http")+"/chat"))
	for _, name := range []string{"Ann", "Bob", "Cid"} {
		assert.Contains(t, out.String(), name+" received:")
	}
	assert.Equal(t, 3, strings.Count(out.String(), "Cid: a very long message a very long message a ver\n"))
}
