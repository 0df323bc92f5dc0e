package websocket

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cws "github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/blob"
)

// An abrupt TCP drop: the message sent before it is delivered, then an
// error event and a close event with 1006 and WasClean false.
func TestFaultAbruptDrop(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/drop?before=last+words", nil)
	rec.expectOpen(t)
	assert.Equal(t, "last words", rec.expectMessage(t).Data)
	err := rec.expectError(t)
	assert.ErrorIs(t, err, ErrFailed)
	assert.Contains(t, err.Error(), "connection lost")
	assert.Equal(t, CloseEvent{Type: "close", Code: 1006}, rec.expectClose(t))
	assert.Equal(t, StateClosed, ws.ReadyState())
	assertNoMoreEvents(t, ws, rec)
}

// A server that never answers the handshake: the caller's ctx deadline,
// or the HTTP client's Timeout, fails the connection.
func TestFaultHandshakeNeverAnswered(t *testing.T) {
	srv := newTestServer(t)
	t.Run("ctx deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		rec := &recorder{ch: make(chan any, 16)}
		ws, err := NewWithOptions(ctx, srv.ws+"/never", &Options{Setup: rec.attach})
		require.NoError(t, err)
		err = rec.expectError(t)
		assert.ErrorIs(t, err, ErrFailed)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, CloseEvent{Type: "close", Code: 1006}, rec.expectClose(t))
		require.NoError(t, ws.Close())
		assert.Empty(t, rec.rest(), "no open event")
	})
	t.Run("http client timeout", func(t *testing.T) {
		client := &http.Client{Timeout: 200 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
		ws, rec := dial(t, srv.ws+"/never", &Options{HTTPClient: client})
		err := rec.expectError(t)
		assert.ErrorIs(t, err, ErrFailed)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 1006, rec.expectClose(t).Code)
		assertNoMoreEvents(t, ws, rec)
	})
}

// A refused handshake (403) and a redirect (Fetch's redirect mode "error"
// for WebSockets) both fail the connection.
func TestFaultHandshakeRefused(t *testing.T) {
	srv := newTestServer(t)
	for _, tc := range []struct{ path, want string }{
		{"/forbidden", "403"},
		{"/redirect", "302"},
		{"/no-such-path", "404"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			ws, rec := dial(t, srv.ws+tc.path, nil)
			err := rec.expectError(t)
			assert.ErrorIs(t, err, ErrFailed)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, CloseEvent{Type: "close", Code: 1006}, rec.expectClose(t))
			assert.Equal(t, StateClosed, ws.ReadyState())
			assertNoMoreEvents(t, ws, rec)
		})
	}
}

// A server closing with each status code: the close event reports it and
// its reason, cleanly, after the message sent before it.
func TestFaultServerClosesWithEachCode(t *testing.T) {
	srv := newTestServer(t)
	codes := []int{1000, 1001, 1002, 1003, 1005, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999}
	for _, code := range codes {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()
			reason := "reason " + strconv.Itoa(code)
			if code == 1005 { // an empty close frame: no code, no reason
				reason = ""
			}
			ws, rec := dial(t, fmt.Sprintf("%s/remote-close?before=bye&code=%d&reason=%s", srv.ws, code, strings.ReplaceAll(reason, " ", "+")), nil)
			rec.expectOpen(t)
			assert.Equal(t, "bye", rec.expectMessage(t).Data)
			assert.Equal(t, CloseEvent{Type: "close", Code: code, Reason: reason, WasClean: true}, rec.expectClose(t))
			assert.Equal(t, StateClosed, ws.ReadyState())
			require.NoError(t, ws.Send("too late")) // CLOSED: not sent, counted
			assert.Equal(t, uint64(len("too late")), ws.BufferedAmount())
			assertNoMoreEvents(t, ws, rec)
		})
	}
}

// Send racing Close from many goroutines: no panic, every Send succeeds,
// each goroutine's messages reach the server in order and as a prefix, and
// BufferedAmount ends as exactly the bytes that were never sent.
func TestFaultSendRacesClose(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/sink", nil)
	rec.expectOpen(t)

	const senders, perSender = 8, 200
	var wg sync.WaitGroup
	var total int
	for g := range senders {
		for i := range perSender {
			total += len(fmt.Sprintf("%d-%d", g, i))
		}
		wg.Go(func() {
			for i := range perSender {
				assert.NoError(t, ws.Send(fmt.Sprintf("%d-%d", g, i)))
			}
		})
	}
	wg.Go(func() { assert.NoError(t, ws.CloseWith(1000, "done")) })
	wg.Go(func() { assert.NoError(t, ws.Close()) })
	wg.Wait()
	require.NoError(t, ws.Close())

	ev := rec.expectClose(t)
	assert.Contains(t, []int{1000, 1005}, ev.Code, "whichever close came first")
	assert.True(t, ev.WasClean)
	var received int
	next := make([]int, senders)
	for _, m := range srv.sinkMessages() {
		received += len(m)
		g, i, ok := strings.Cut(m, "-")
		require.True(t, ok, m)
		gi, _ := strconv.Atoi(g)
		ii, _ := strconv.Atoi(i)
		assert.Equal(t, next[gi], ii, "sender %d out of order", gi)
		next[gi] = ii + 1
	}
	assert.Equal(t, uint64(total-received), ws.BufferedAmount())
}

// Cancelling ctx while a message is half received closes with 1001
// (going away): the partial message is never delivered, the close is
// clean, and the server sees 1001.
func TestFaultCtxCancelledMidMessage(t *testing.T) {
	srv := newTestServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	rec := &recorder{ch: make(chan any, 16)}
	ws, err := NewWithOptions(ctx, srv.ws+"/partial", &Options{Setup: rec.attach})
	require.NoError(t, err)
	rec.expectOpen(t)
	<-srv.partSent
	cancel()
	ev := rec.expectClose(t)
	assert.Equal(t, CloseEvent{Type: "close", Code: 1001, WasClean: true}, ev)
	assert.Equal(t, cws.StatusGoingAway, cws.CloseStatus(<-srv.closes))
	require.NoError(t, ws.Close())
	assert.Empty(t, rec.rest(), "the partial message is not delivered")
}

// A ctx that is already done fails the connection at once.
func TestFaultCtxAlreadyCancelled(t *testing.T) {
	srv := newTestServer(t)
	ctx, cancel := context.WithCancelCause(t.Context())
	boom := errors.New("boom")
	cancel(boom)
	rec := &recorder{ch: make(chan any, 16)}
	ws, err := NewWithOptions(ctx, srv.ws+"/echo", &Options{Setup: rec.attach})
	require.NoError(t, err)
	assert.ErrorIs(t, rec.expectError(t), boom)
	assert.Equal(t, 1006, rec.expectClose(t).Code)
	require.NoError(t, ws.Close())
	assert.Empty(t, rec.rest())
}

// Close while CONNECTING fails the connection: error, then close 1006.
func TestFaultCloseWhileConnecting(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/never", nil)
	require.NoError(t, ws.CloseWith(3000, "never mind"))
	assert.Equal(t, StateClosed, ws.ReadyState())
	err := rec.expectError(t)
	assert.ErrorIs(t, err, ErrFailed)
	assert.ErrorIs(t, err, errClosedWhileConnecting)
	assert.Equal(t, CloseEvent{Type: "close", Code: 1006}, rec.expectClose(t))
	assertNoMoreEvents(t, ws, rec)
}

// Messages up to the read limit are delivered; a longer one closes the
// connection with 1009 (the server sees it) after an error event.
func TestFaultReadLimit(t *testing.T) {
	t.Run("at the limit", func(t *testing.T) {
		srv := newTestServer(t)
		ws, rec := dial(t, srv.ws+"/send?n=1&size=1000", &Options{ReadLimit: 1000})
		rec.expectOpen(t)
		assert.Len(t, rec.expectMessage(t).Data, 1000)
		require.NoError(t, ws.Close())
	})
	t.Run("default limit is far above coder's 32 KiB", func(t *testing.T) {
		srv := newTestServer(t)
		ws, rec := dial(t, srv.ws+"/send?n=1&size=4000000&binary=1", &Options{BinaryType: BinaryTypeArrayBuffer})
		rec.expectOpen(t)
		assert.Len(t, rec.expectMessage(t).Data, 4000000)
		require.NoError(t, ws.Close())
	})
	t.Run("over the limit", func(t *testing.T) {
		srv := newTestServer(t)
		ws, rec := dial(t, srv.ws+"/send?n=2&size=5000", &Options{ReadLimit: 1000})
		rec.expectOpen(t)
		err := rec.expectError(t)
		assert.ErrorIs(t, err, ErrFailed)
		assert.ErrorIs(t, err, ErrMessageTooBig)
		ev := rec.expectClose(t)
		assert.Equal(t, 1009, ev.Code)
		assert.Equal(t, cws.StatusMessageTooBig, cws.CloseStatus(<-srv.closes))
		assertNoMoreEvents(t, ws, rec)
	})
}

// A text message that is not UTF-8 fails the connection with 1007.
func TestFaultInvalidUTF8(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/invalid-utf8", nil)
	rec.expectOpen(t)
	assert.ErrorIs(t, rec.expectError(t), ErrFailed)
	assert.Equal(t, 1007, rec.expectClose(t).Code)
	assert.Equal(t, cws.StatusInvalidFramePayloadData, cws.CloseStatus(<-srv.closes))
	assertNoMoreEvents(t, ws, rec)
}

// A peer that stops reading cannot make Close hang: CloseTimeout drops the
// connection (close 1006 after an error event).
func TestFaultCloseTimeoutWhenPeerStopsReading(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/hold", &Options{CloseTimeout: 300 * time.Millisecond})
	rec.expectOpen(t)
	chunk := make([]byte, 1<<20)
	for range 32 { // far more than loopback's socket buffers
		require.NoError(t, ws.SendBytes(chunk))
	}
	start := time.Now()
	require.NoError(t, ws.Close())
	assert.Less(t, time.Since(start), 5*time.Second)
	err := rec.expectError(t)
	assert.ErrorIs(t, err, errCloseTimeout)
	assert.Equal(t, CloseEvent{Type: "close", Code: 1006}, rec.expectClose(t))
	assert.NotZero(t, ws.BufferedAmount(), "what was never written stays counted")
}

// failingReaderAt fails after its first KiB.
type failingReaderAt struct{}

func (failingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= 1024 {
		return 0, errors.New("disk on fire")
	}
	n := min(len(p), int(1024-off))
	clear(p[:n])
	return n, nil
}

// A Blob that cannot be read halfway through its message fails the
// connection.
func TestFaultBlobReadError(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/echo", nil)
	rec.expectOpen(t)
	require.NoError(t, ws.SendBlob(blob.FromReaderAt(failingReaderAt{}, 1<<20, nil)))
	err := rec.expectError(t)
	assert.ErrorIs(t, err, ErrFailed)
	assert.Contains(t, err.Error(), "reading the Blob")
	assert.Equal(t, 1006, rec.expectClose(t).Code)
	assertNoMoreEvents(t, ws, rec)
}

// A peer that reads and writes on one goroutine (read, then write the
// echo) stops reading while its write to us is blocked. Sends from a
// handler write inline; here the open handler sends 48 MiB, more than the
// loopback socket buffers hold, before it returns, so nothing reads the
// echoes meanwhile: without the rescue reader, both sides would wait for
// each other forever.
func TestFaultInlineWriteCannotDeadlock(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 96 MiB")
	}
	srv := newTestServer(t)
	const size, count = 8 << 10, 6144
	msg := strings.Repeat("r", size)
	var received atomic.Int64
	done := make(chan struct{})
	sent := make(chan struct{})
	ws, err := NewWithOptions(t.Context(), srv.ws+"/echo", &Options{Setup: func(ws *WebSocket) {
		ws.OnOpen(func() {
			for range count {
				_ = ws.Send(msg) // inline: the open handler runs on the reading goroutine
			}
			close(sent)
		})
		ws.OnMessage(func(MessageEvent) {
			if received.Add(1) == count {
				close(done)
			}
		})
	}})
	require.NoError(t, err)
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		require.FailNow(t, "deadlocked", "sent all: %v, received %d of %d", isClosed(sent), received.Load(), count)
	}
	require.NoError(t, ws.Close())
	assert.Zero(t, ws.BufferedAmount())
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
