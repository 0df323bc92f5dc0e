package websocket

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dialReconnecting opens a ReconnectingWebSocket recording its events.
func dialReconnecting(t *testing.T, url string, opts *ReconnectOptions) (*ReconnectingWebSocket, *recorder) {
	t.Helper()
	rec := &recorder{ch: make(chan any, 1024)}
	var o ReconnectOptions
	if opts != nil {
		o = *opts
	}
	if o.InitialDelay == 0 {
		o.InitialDelay = 5 * time.Millisecond
	}
	user := o.Setup
	o.Setup = func(r *ReconnectingWebSocket) {
		rec.listen(r)
		if user != nil {
			user(r)
		}
	}
	r, err := NewReconnecting(context.Background(), url, &o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	return r, rec
}

// A dropped connection is replaced; messages queued on it but never
// written, and messages sent while reconnecting, arrive in order on the
// next connection.
func TestReconnectRequeuesUnsent(t *testing.T) {
	srv := newTestServer(t)
	opts := &ReconnectOptions{
		Options: Options{beforeWrite: func(life context.Context) {
			if srv.flakyN.Load() == 1 { // the first connection never writes: its queue stays unsent
				<-life.Done()
			}
		}},
	}
	r, rec := dialReconnecting(t, srv.ws+"/flaky", opts)
	rec.expectOpen(t)
	require.NoError(t, r.Send("a"))
	require.NoError(t, r.Send("b"))
	assert.Equal(t, uint64(2), r.BufferedAmount())
	srv.dropNow <- struct{}{}

	assert.ErrorIs(t, rec.expectError(t), ErrFailed)
	assert.Equal(t, 1006, rec.expectClose(t).Code)
	require.NoError(t, r.Send("c"))
	rec.expectOpen(t)
	assert.Equal(t, StateOpen, r.ReadyState())
	require.NoError(t, r.Send("d"))
	srv.waitSink(t, 4)
	assert.Equal(t, []string{"a", "b", "c", "d"}, srv.sinkMessages())
	require.NoError(t, r.CloseWith(1000, "bye"))
	assert.Equal(t, CloseEvent{Type: "close", Code: 1000, Reason: "bye", WasClean: true}, rec.expectClose(t))
	assert.Equal(t, StateClosed, r.ReadyState())
	assert.Empty(t, rec.rest())
}

// Messages sent while the first connection is still being made wait for
// it (a plain WebSocket would return ErrInvalidState).
func TestReconnectQueuesWhileConnecting(t *testing.T) {
	srv := newTestServer(t)
	r, rec := dialReconnecting(t, srv.ws+"/flaky?refuse=first", nil)
	require.NoError(t, r.Send("early"))
	assert.ErrorIs(t, rec.expectError(t), ErrFailed) // the first handshake is refused
	assert.Equal(t, 1006, rec.expectClose(t).Code)
	rec.expectOpen(t)
	srv.waitSink(t, 1) // the second connection delivers it
	assert.Equal(t, []string{"early"}, srv.sinkMessages())
	require.NoError(t, r.Close())
}

// A clean close by the server (1000) is final by default; ShouldReconnect
// can decide otherwise.
func TestReconnectShouldReconnect(t *testing.T) {
	srv := newTestServer(t)
	t.Run("default: 1000 is final", func(t *testing.T) {
		closed := make(chan ReadyState, 1)
		r, rec := dialReconnecting(t, srv.ws+"/remote-close?code=1000", &ReconnectOptions{
			Setup: func(r *ReconnectingWebSocket) {
				r.OnClose(func(CloseEvent) { closed <- r.ReadyState() })
			},
		})
		rec.expectOpen(t)
		assert.Equal(t, 1000, rec.expectClose(t).Code)
		assert.Equal(t, StateClosed, <-closed)
		<-r.done
		assert.Empty(t, rec.rest())
	})
	t.Run("1012 reconnects", func(t *testing.T) {
		r, rec := dialReconnecting(t, srv.ws+"/remote-close?code=1012", &ReconnectOptions{MaxRetries: 1})
		rec.expectOpen(t)
		assert.Equal(t, 1012, rec.expectClose(t).Code)
		rec.expectOpen(t)
		assert.Equal(t, 1012, rec.expectClose(t).Code)
		require.NoError(t, r.Close())
	})
	t.Run("custom", func(t *testing.T) {
		asked := 0
		r, rec := dialReconnecting(t, srv.ws+"/remote-close?code=4000", &ReconnectOptions{
			ShouldReconnect: func(e CloseEvent) bool { asked++; return asked < 3 },
		})
		for range 3 {
			rec.expectOpen(t)
			assert.Equal(t, 4000, rec.expectClose(t).Code)
		}
		<-r.done
		assert.Equal(t, 3, asked)
		assert.Equal(t, StateClosed, r.ReadyState())
	})
}

// MaxRetries bounds the failed attempts in a row; each one fails with an
// error and a close event.
func TestReconnectMaxRetries(t *testing.T) {
	srv := newTestServer(t)
	r, rec := dialReconnecting(t, srv.ws+"/forbidden", &ReconnectOptions{MaxRetries: 2})
	for range 3 { // the first connection and two retries
		assert.ErrorIs(t, rec.expectError(t), ErrFailed)
		assert.Equal(t, 1006, rec.expectClose(t).Code)
	}
	<-r.done
	assert.Equal(t, StateClosed, r.ReadyState())
	require.NoError(t, r.Send("x"))
	assert.Equal(t, uint64(1), r.BufferedAmount())
	assert.Empty(t, rec.rest())
}

// Close from a handler returns at once; ctx ending stops reconnection.
func TestReconnectCloseFromHandlerAndCtx(t *testing.T) {
	srv := newTestServer(t)
	r, rec := dialReconnecting(t, srv.ws+"/echo", &ReconnectOptions{Setup: func(r *ReconnectingWebSocket) {
		r.OnOpen(func() { _ = r.Close() })
	}})
	rec.expectOpen(t)
	assert.Equal(t, 1005, rec.expectClose(t).Code)
	<-r.done

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	rec2 := &recorder{ch: make(chan any, 16)}
	r2, err := NewReconnecting(ctx, srv.ws+"/echo", &ReconnectOptions{Setup: func(r *ReconnectingWebSocket) {
		r.OnOpen(func() { rec2.ch <- opened{} })
		r.OnClose(func(e CloseEvent) { rec2.ch <- e })
	}})
	require.NoError(t, err)
	rec2.expectOpen(t)
	cancel()
	assert.Equal(t, 1001, rec2.expectClose(t).Code)
	require.NoError(t, r2.Close())
	assert.Equal(t, StateClosed, r2.ReadyState())
	assert.Empty(t, rec2.rest())
}

func TestReconnectValidatesFirst(t *testing.T) {
	_, err := NewReconnecting(t.Context(), "ftp://example.com/", nil)
	assert.ErrorIs(t, err, ErrSyntax)
	_, err = NewReconnecting(t.Context(), "ws://example.com/", &ReconnectOptions{Options: Options{Protocols: []string{"a", "A"}}})
	assert.ErrorIs(t, err, ErrSyntax)
	r := &ReconnectingWebSocket{}
	assert.True(t, errors.Is(r.CloseWith(999, ""), ErrInvalidAccess))
}

// The backoff doubles up to MaxDelay; jitter only shortens it.
func TestReconnectDelay(t *testing.T) {
	r := &ReconnectingWebSocket{opts: ReconnectOptions{InitialDelay: 100 * time.Millisecond, MaxDelay: time.Second, Multiplier: 2}}
	var got []time.Duration
	for n := range 6 {
		got = append(got, r.delay(n))
	}
	assert.Equal(t, []time.Duration{100e6, 200e6, 400e6, 800e6, 1e9, 1e9}, got)
	r.opts.Jitter = 0.5
	for n := range 50 {
		d := r.delay(n % 4)
		full := min(100*time.Millisecond<<(n%4), time.Second)
		assert.LessOrEqual(t, d, full)
		assert.GreaterOrEqual(t, d, full/2)
	}
}
