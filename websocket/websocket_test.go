package websocket

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/blob"
)

func TestEchoTextAndBinary(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/echo", nil)
	rec.expectOpen(t)
	assert.Equal(t, StateOpen, ws.ReadyState())

	require.NoError(t, ws.Send("hello"))
	require.NoError(t, ws.SendBytes([]byte{1, 2, 3}))
	m := rec.expectMessage(t)
	assert.Equal(t, "hello", m.Data)
	m = rec.expectMessage(t)
	b, ok := m.Data.(*blob.Blob)
	require.True(t, ok, "binary messages are Blobs by default, got %T", m.Data)
	got, err := b.Bytes()
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 2, 3}, got)

	require.NoError(t, ws.CloseWith(1000, "bye"))
	assert.Equal(t, StateClosed, ws.ReadyState())
	c := rec.expectClose(t)
	assert.Equal(t, CloseEvent{Type: "close", Code: 1000, Reason: "bye", WasClean: true}, c)
	assertNoMoreEvents(t, ws, rec)
}

// A Send from a handler with nothing else queued is written at once; a
// Send from another goroutine goes through the writer goroutine. Either
// way the messages arrive in order.
func TestSendFromHandlerIsWrittenAtOnce(t *testing.T) {
	srv := newTestServer(t)
	afterSend := make(chan uint64, 1)
	ws, rec := dial(t, srv.ws+"/echo", &Options{Setup: func(ws *WebSocket) {
		ws.OnOpen(func() {
			_ = ws.Send("from the open handler")
			afterSend <- ws.BufferedAmount()
		})
	}})
	rec.expectOpen(t)
	assert.Equal(t, uint64(0), <-afterSend, "written before Send returned")
	assert.Equal(t, "from the open handler", rec.expectMessage(t).Data)
	for i := range 20 {
		require.NoError(t, ws.Send(strconv.Itoa(i)))
	}
	for i := range 20 {
		assert.Equal(t, strconv.Itoa(i), rec.expectMessage(t).Data)
	}
	require.NoError(t, ws.Close())
	assert.Equal(t, uint64(0), ws.BufferedAmount(), "all written before the close frame")
}

// SendBytes copies what it queues, and the copies are recycled (the
// connection keeps the last written one for the next SendBytes): every
// message must still arrive with its own bytes, whatever the caller does
// with its slice afterwards and however the sizes vary.
func TestSendBytesCopiesAreNeverShared(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/echo", &Options{BinaryType: BinaryTypeArrayBuffer})
	rec.expectOpen(t)
	const count = 200
	buf := make([]byte, 64<<10)
	size := func(i int) int { return (i*7919)%len(buf) + 1 }
	for i := range count {
		b := buf[:size(i)]
		copy(b, bytes.Repeat([]byte{byte(i)}, len(b)))
		require.NoError(t, ws.SendBytes(b))
		clear(buf) // the caller reuses its slice at once
	}
	for i := range count {
		got, ok := rec.expectMessage(t).Data.([]byte)
		require.True(t, ok)
		require.Len(t, got, size(i), "message %d", i)
		require.Equal(t, len(got), bytes.Count(got, []byte{byte(i)}), "message %d has foreign bytes", i)
	}
	require.NoError(t, ws.Close())
}

// The spare copy a connection keeps for its next SendBytes is held weakly:
// once the connection is idle, a garbage collection frees it.
func TestSpareCopyFreedWhenIdle(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/echo", &Options{BinaryType: BinaryTypeArrayBuffer})
	rec.expectOpen(t)
	// No collection until the check below: the spare must be there first.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	require.NoError(t, ws.SendBytes(make([]byte, 1<<20))) // queued: the writer writes a copy
	require.Len(t, rec.expectMessage(t).Data, 1<<20)
	spare := func() *spareBuf {
		ws.mu.Lock()
		defer ws.mu.Unlock()
		return ws.spare.Value()
	}
	// The writer recycles the copy just after writing it, so maybe just
	// after the echo has arrived.
	require.Eventually(t, func() bool { return spare() != nil }, 5*time.Second, time.Millisecond,
		"the written copy is kept for the next SendBytes")
	debug.SetGCPercent(100)
	runtime.GC()
	runtime.GC()
	assert.Nil(t, spare(), "an idle connection keeps no buffer alive")
	require.NoError(t, ws.Close())
}
