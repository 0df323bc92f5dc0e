package websocket

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/blob"
)

// A handler may remove itself (a "once" handler) and others, add
// handlers, Send and Close, without deadlocking; a handler removed during
// a dispatch is not called for it.
func TestHandlersMayRemoveAddSendAndClose(t *testing.T) {
	srv := newTestServer(t)
	var mu sync.Mutex
	var log []string
	logf := func(s string) { mu.Lock(); log = append(log, s); mu.Unlock() }
	done := make(chan struct{})
	_, _ = dial(t, srv.ws+"/echo", &Options{Setup: func(ws *WebSocket) {
		var removeOnce, removeSecond func()
		removeOnce = ws.OnMessage(func(e MessageEvent) {
			logf("once " + e.Data.(string))
			removeOnce()
			removeOnce() // idempotent
			removeSecond()
			ws.OnMessage(func(e MessageEvent) {
				logf("added " + e.Data.(string))
				if e.Data == "two" {
					_ = ws.CloseWith(1000, "from a handler")
				}
			})
		})
		removeSecond = ws.OnMessage(func(e MessageEvent) { logf("second " + e.Data.(string)) })
		ws.OnOpen(func() {
			_ = ws.Send("one")
			_ = ws.Send("two")
		})
		ws.OnClose(func(e CloseEvent) {
			logf("close " + e.Reason)
			close(done)
		})
	}})
	<-done
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"once one", "added two", "close from a handler"}, log)
}

// Handlers registered after the open event see later events; BinaryType
// is read when each message is dispatched.
func TestLateHandlersAndBinaryTypeAtDispatch(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/echo", nil)
	rec.expectOpen(t)
	got := make(chan any, 2)
	ws.OnMessage(func(e MessageEvent) {
		got <- e.Data
		ws.SetBinaryType(BinaryTypeArrayBuffer) // applies to the next message
	})
	require.NoError(t, ws.SendBytes([]byte("1")))
	require.NoError(t, ws.SendBytes([]byte("2")))
	first, second := <-got, <-got
	assert.IsType(t, (*blob.Blob)(nil), first)
	assert.Equal(t, []byte("2"), second)
	assert.Equal(t, BinaryTypeArrayBuffer, ws.BinaryType())
	m := rec.expectMessage(t)
	assert.Equal(t, "ws://"+srv.Listener.Addr().String(), m.Origin)
	assert.Equal(t, "message", m.Type)
	assert.Equal(t, "", m.LastEventID)
	require.NoError(t, ws.Close())
}

// Close from another goroutine waits for the close event: when it
// returns, every handler has run and none runs again.
func TestCloseWaitsForTheCloseEvent(t *testing.T) {
	srv := newTestServer(t)
	var closed bool
	ws, rec := dial(t, srv.ws+"/echo", &Options{Setup: func(ws *WebSocket) {
		ws.OnClose(func(CloseEvent) { closed = true })
	}})
	rec.expectOpen(t)
	require.NoError(t, ws.Close())
	assert.True(t, closed, "the close handler ran before Close returned")
	require.NoError(t, ws.Close(), "Close is idempotent")
	require.NoError(t, ws.CloseWith(1000, ""))
	select {
	case <-ws.done:
	default:
		t.Fatal("goroutines still running after Close")
	}
}

// Close from Setup fails the connection without deadlocking.
func TestCloseFromSetup(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/echo", &Options{Setup: func(ws *WebSocket) { _ = ws.Close() }})
	assert.ErrorIs(t, rec.expectError(t), errClosedWhileConnecting)
	assert.Equal(t, 1006, rec.expectClose(t).Code)
	assertNoMoreEvents(t, ws, rec)
}

// Messages received before the peer's close frame are delivered; after
// Close is called, none are.
func TestMessagesAroundClose(t *testing.T) {
	srv := newTestServer(t)
	t.Run("in order", func(t *testing.T) {
		ws, rec := dial(t, srv.ws+"/send?n=50&size=10", nil)
		rec.expectOpen(t)
		for i := range 50 {
			want := strconv.Itoa(i)
			want += strings.Repeat("x", 10-len(want))
			assert.Equal(t, want, rec.expectMessage(t).Data)
		}
		require.NoError(t, ws.Close())
	})
	t.Run("a message then the peer's close", func(t *testing.T) {
		ws, rec := dial(t, srv.ws+"/remote-close?before=last&code=1000", nil)
		rec.expectOpen(t)
		assert.Equal(t, "last", rec.expectMessage(t).Data)
		assert.Equal(t, 1000, rec.expectClose(t).Code)
		assertNoMoreEvents(t, ws, rec)
	})
	t.Run("close drops later messages", func(t *testing.T) {
		var after int
		ws, rec := dial(t, srv.ws+"/send?n=1000&size=100", &Options{Setup: func(ws *WebSocket) {
			ws.OnMessage(func(MessageEvent) {
				if ws.ReadyState() != StateOpen {
					after++
				}
				_ = ws.Close() // the first message closes; no more messages follow
			})
		}})
		rec.expectOpen(t)
		rec.expectMessage(t)
		rec.expectClose(t)
		<-ws.done
		assert.Zero(t, after)
		assert.Empty(t, rec.rest())
	})
}

// Origin and extra headers reach the server; compression is negotiated
// when asked for.
func TestOptionsHeadersAndCompression(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/headers", &Options{
		Origin: "https://example.com",
		Header: map[string][]string{"X-Test": {"yes"}},
	})
	rec.expectOpen(t)
	assert.Equal(t, "https://example.com|yes", rec.expectMessage(t).Data)
	require.NoError(t, ws.Close())

	ws, rec = dial(t, srv.ws+"/echo", &Options{Compression: CompressionContextTakeover})
	rec.expectOpen(t)
	assert.Contains(t, ws.Extensions(), "permessage-deflate")
	big := make([]byte, 100000)
	require.NoError(t, ws.SendBytes(big))
	m := rec.expectMessage(t)
	b, err := m.Data.(*blob.Blob).Bytes()
	require.NoError(t, err)
	assert.Equal(t, big, b)
	require.NoError(t, ws.Close())
}

// The caller's Options are never modified.
func TestOptionsNotModified(t *testing.T) {
	srv := newTestServer(t)
	o := &Options{Protocols: []string{"chat"}, Header: map[string][]string{"X-A": {"1"}}, Origin: "http://o"}
	ws, err := NewWithOptions(context.Background(), srv.ws+"/protocol", o)
	require.NoError(t, err)
	require.NoError(t, ws.Close())
	assert.Equal(t, &Options{Protocols: []string{"chat"}, Header: map[string][]string{"X-A": {"1"}}, Origin: "http://o"}, o)
}
