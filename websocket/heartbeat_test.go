package websocket

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The heartbeat keeps pinging an answering peer and the connection stays
// open.
func TestHeartbeatAnswered(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/pings", &Options{PingInterval: 20 * time.Millisecond, PongTimeout: 5 * time.Second})
	rec.expectOpen(t)
	for range 3 {
		<-srv.pinged
	}
	assert.Equal(t, StateOpen, ws.ReadyState())
	require.NoError(t, ws.CloseWith(1000, ""))
	assert.Equal(t, CloseEvent{Type: "close", Code: 1000, WasClean: true}, rec.expectClose(t))
	assertNoMoreEvents(t, ws, rec)
}

// A peer that stops answering pings fails the connection with
// ErrPongTimeout: error, then close 1006.
func TestHeartbeatPongTimeout(t *testing.T) {
	srv := newTestServer(t)
	ws, rec := dial(t, srv.ws+"/nopong", &Options{PingInterval: 20 * time.Millisecond, PongTimeout: 50 * time.Millisecond})
	rec.expectOpen(t)
	err := rec.expectError(t)
	assert.ErrorIs(t, err, ErrFailed)
	assert.ErrorIs(t, err, ErrPongTimeout)
	assert.Equal(t, CloseEvent{Type: "close", Code: 1006}, rec.expectClose(t))
	assertNoMoreEvents(t, ws, rec)
}

// Without PingInterval there is no heartbeat: a peer that never answers
// pings is not noticed.
func TestHeartbeatOffByDefault(t *testing.T) {
	o := (*Options)(nil).cloneWithDefaults()
	assert.Zero(t, o.PingInterval)
	o = (&Options{PingInterval: time.Second}).cloneWithDefaults()
	assert.Equal(t, time.Second, o.PongTimeout, "PongTimeout defaults to PingInterval")
}
