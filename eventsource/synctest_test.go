package eventsource

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/fetch"
)

// pipeNet is an in-memory network for synctest bubbles (which cannot use
// real sockets): a real http.Server serves a listener whose connections
// are net.Pipe ends, and a real http.Transport dials them. While down,
// dials are refused, as by a stopped server.
type pipeNet struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once

	mu    sync.Mutex
	down  bool
	dials []time.Time // the (fake) time of every dial
}

func newPipeNet() *pipeNet {
	return &pipeNet{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (p *pipeNet) Accept() (net.Conn, error) {
	select {
	case c := <-p.conns:
		return c, nil
	case <-p.closed:
		return nil, net.ErrClosed
	}
}

func (p *pipeNet) Close() error { p.once.Do(func() { close(p.closed) }); return nil }

func (p *pipeNet) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80} }

func (p *pipeNet) setDown(down bool) { p.mu.Lock(); p.down = down; p.mu.Unlock() }

func (p *pipeNet) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	p.mu.Lock()
	p.dials = append(p.dials, time.Now())
	down := p.down
	p.mu.Unlock()
	if down {
		return nil, errors.New("connection refused")
	}
	c, s := net.Pipe()
	select {
	case p.conns <- s:
		return c, nil
	case <-p.closed:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// The reconnection timing, on a fake clock: the first attempt waits exactly
// the "retry" time (in milliseconds), consecutive failed attempts back off
// exponentially with jitter up to the cap, and a successful open resets the
// backoff.
func TestReconnectTiming(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			mu       sync.Mutex
			requests int
			pn       *pipeNet
		)
		client, pn, stop := startPipeServer(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			requests++
			n := requests
			mu.Unlock()
			startStream(w)
			if n == 1 {
				send(w, "retry: 1500\ndata: a\n\n")
				pn.setDown(true) // the server goes away with the stream's end
				return
			}
			send(w, "data: b\n\n")
		})

		errs := make(chan error, 20)
		es, err := New(t.Context(), "http://sse.test/", &EventSourceInit{
			Client:  client,
			Backoff: ExponentialBackoff(10 * time.Second),
			OnError: func(err error) { errs <- err },
		})
		require.NoError(t, err)

		// Connection 1 ends; then attempts 1..7 are refused.
		for range 8 {
			<-errs
		}
		pn.setDown(false)
		<-errs // connection 2 opened and ended: the backoff starts over
		<-errs // connection 3, after exactly the retry time, ended too
		es.Close()
		stop()

		pn.mu.Lock()
		defer pn.mu.Unlock()
		require.GreaterOrEqual(t, len(pn.dials), 10)
		gaps := make([]time.Duration, 0, len(pn.dials)-1)
		for i := 1; i < len(pn.dials); i++ {
			gaps = append(gaps, pn.dials[i].Sub(pn.dials[i-1]))
		}
		const base = 1500 * time.Millisecond
		assert.Equal(t, base, gaps[0], "attempt 1 waits exactly the retry time")
		for i, g := range gaps[1:7] {
			attempt := i + 2
			assert.GreaterOrEqual(t, g, base, "attempt %d", attempt)
			assert.LessOrEqual(t, g, min(10*time.Second, base<<(attempt-1)), "attempt %d", attempt)
		}
		// gaps[7] led to the successful connection 2; after it ended the
		// count was reset: exactly the retry time again.
		assert.Equal(t, base, gaps[8], "an open resets the backoff")
	})
}

// The default reconnection time, without any "retry", is 3 s.
func TestDefaultReconnectionTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		client, pn, stop := startPipeServer(func(w http.ResponseWriter, r *http.Request) {
			startStream(w)
			send(w, "data: a\n\n")
		})
		errs := make(chan error, 5)
		es, err := New(t.Context(), "http://sse.test/", &EventSourceInit{
			Client:  client,
			OnError: func(err error) { errs <- err },
		})
		require.NoError(t, err)
		<-errs
		<-errs
		es.Close()
		stop()
		pn.mu.Lock()
		defer pn.mu.Unlock()
		require.GreaterOrEqual(t, len(pn.dials), 2)
		assert.Equal(t, DefaultReconnectionTime, pn.dials[1].Sub(pn.dials[0]))
	})
}

// startPipeServer serves h on a new pipeNet inside a synctest bubble and
// returns a fetch client that dials it, one dial per attempt (no
// keep-alive); stop shuts both down so that the bubble's goroutines can
// exit.
func startPipeServer(h http.HandlerFunc) (client *fetch.Client, pn *pipeNet, stop func()) {
	pn = newPipeNet()
	srv := &http.Server{Handler: h}
	go srv.Serve(pn)
	tr := &http.Transport{DialContext: pn.dial, DisableKeepAlives: true}
	return &fetch.Client{HTTPClient: &http.Client{Transport: tr}}, pn, func() {
		srv.Close()
		tr.CloseIdleConnections()
		synctest.Wait()
	}
}

// The stall timeout, before the headers and in the middle of a stream,
// reestablishes the connection, exactly when no byte came for that long.
func TestStallTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			mu       sync.Mutex
			requests []time.Time
		)
		client, _, stop := startPipeServer(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			requests = append(requests, time.Now())
			n := len(requests)
			mu.Unlock()
			switch n {
			case 1: // no response at all
			case 2: // headers and one event, then silence
				startStream(w)
				time.Sleep(time.Second) // a slow producer, on the bubble's fake clock
				send(w, "id: 1\ndata: a\n\n")
			default:
				startStream(w)
				send(w, "data: b\n\n")
			}
			hold(r)
		})
		errs := make(chan error, 10)
		got := make(chan string, 10)
		es, err := New(t.Context(), "http://sse.test/", &EventSourceInit{
			Client:           client,
			StallTimeout:     5 * time.Second,
			ReconnectionTime: time.Millisecond,
			OnError:          func(err error) { errs <- err },
			OnMessage:        func(ev MessageEvent) { got <- ev.Data + ev.LastEventID },
		})
		require.NoError(t, err)
		for range 2 {
			err := <-errs
			assert.ErrorIs(t, err, ErrStalled)
			assert.ErrorIs(t, err, fetch.ErrNetwork)
		}
		assert.Equal(t, "a1", <-got)
		assert.Equal(t, "b1", <-got)
		es.Close()
		stop()
		assert.Empty(t, errs)
		mu.Lock()
		defer mu.Unlock()
		require.Len(t, requests, 3)
		assert.Equal(t, 5*time.Second+time.Millisecond, requests[1].Sub(requests[0]), "no headers for 5 s")
		assert.Equal(t, 6*time.Second+time.Millisecond, requests[2].Sub(requests[1]), "5 s after the last byte")
	})
}

// A stream that keeps sending bytes (comments) more often than the stall
// timeout is not stalled, even with no events for much longer.
func TestStallTimeoutHeartbeat(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var requests int
		client, _, stop := startPipeServer(func(w http.ResponseWriter, r *http.Request) {
			requests++
			startStream(w)
			for range 60 {
				time.Sleep(2 * time.Second) // the bubble's fake clock
				send(w, ": heartbeat\n")
			}
			send(w, "data: done\n\n")
			hold(r)
		})
		got := make(chan string, 1)
		errs := make(chan error, 10)
		es, err := New(t.Context(), "http://sse.test/", &EventSourceInit{
			Client: client, StallTimeout: 3 * time.Second,
			OnMessage: func(ev MessageEvent) { got <- ev.Data },
			OnError:   func(err error) { errs <- err },
		})
		require.NoError(t, err)
		start := time.Now()
		assert.Equal(t, "done", <-got)
		assert.Equal(t, 120*time.Second, time.Since(start))
		es.Close()
		stop()
		assert.Empty(t, errs)
		assert.Equal(t, 1, requests)
	})
}
