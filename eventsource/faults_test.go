package eventsource

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numberedStream is the byte stream of events 1..n, each "id: i" and
// "data: event i", with offsets[i] the offset at which event i starts
// (offsets[n+1] is the length).
func numberedStream(n int) (stream []byte, offsets []int) {
	var b bytes.Buffer
	offsets = make([]int, n+2)
	for i := 1; i <= n; i++ {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "id: %d\ndata: event %d\n\n", i, i)
	}
	offsets[n+1] = b.Len()
	return b.Bytes(), offsets
}

// A server restarted 20 times, each time at a random byte offset of a
// stream of 10 000 numbered events (often in the middle of an event), and
// resuming after the Last-Event-ID the client sends: every event arrives
// exactly once, in order. The server is a raw listener on a fixed loopback
// address: a restart closes the listener and the connection, and listens
// again; meanwhile the client's attempts are refused and retried.
func TestFaultServerRestarts(t *testing.T) {
	const (
		events   = 10000
		restarts = 20
	)
	stream, offsets := numberedStream(events)
	rng := rand.New(rand.NewPCG(2024, 5))
	cuts := make([]int, 0, restarts)
	for len(cuts) < restarts {
		c := 1 + rng.IntN(len(stream)-1)
		if !slices.Contains(cuts, c) {
			cuts = append(cuts, c)
		}
	}
	slices.Sort(cuts)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()

	var (
		serverErrs  = make(chan error, 100)
		done        = make(chan struct{})
		serverDone  = make(chan struct{})
		connections atomic.Int32
	)
	go func() {
		defer close(serverDone)
		next := 0 // index of the next cut
		for {
			conn, err := ln.Accept()
			if err != nil {
				serverErrs <- fmt.Errorf("accept: %w", err)
				return
			}
			connections.Add(1)
			req, err := http.ReadRequest(bufio.NewReader(conn))
			if err != nil {
				conn.Close()
				continue
			}
			start := offsets[1]
			if id := req.Header.Get("Last-Event-ID"); id != "" {
				k, err := strconv.Atoi(id)
				if err != nil || k < 1 || k > events {
					serverErrs <- fmt.Errorf("bad Last-Event-ID %q", id)
				} else {
					start = offsets[k+1]
				}
			} else if connections.Load() > 1 && next > 0 && cuts[next-1] >= offsets[2] {
				serverErrs <- fmt.Errorf("reconnection %d without Last-Event-ID", connections.Load())
			}
			for next < len(cuts) && cuts[next] <= start {
				next++ // a cut the client never reached again
			}
			head := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n")
			if next == len(cuts) {
				conn.Write(append(head, stream[start:]...))
				<-done
				conn.Close()
				ln.Close()
				return
			}
			conn.Write(append(head, stream[start:cuts[next]]...))
			next++
			// The restart: the connection and the listener go away.
			conn.Close()
			ln.Close()
			for i := 0; ; i++ {
				if ln, err = net.Listen("tcp", addr); err == nil {
					break
				}
				if i == 100 {
					serverErrs <- fmt.Errorf("listen again on %s: %w", addr, err)
					return
				}
				<-time.After(10 * time.Millisecond) // the port is still being released
			}
		}
	}()

	var (
		mu       sync.Mutex
		received []int
		errs     []error
	)
	all := make(chan struct{})
	es, err := New(t.Context(), "http://"+addr+"/stream", &EventSourceInit{
		Client:           newTestClient(t),
		ReconnectionTime: time.Millisecond,
		Backoff:          func(_ int, d time.Duration) time.Duration { return d },
		OnMessage: func(ev MessageEvent) {
			n, err := strconv.Atoi(strings.TrimPrefix(ev.Data, "event "))
			mu.Lock()
			defer mu.Unlock()
			if err != nil || ev.LastEventID != strconv.Itoa(n) {
				errs = append(errs, fmt.Errorf("bad event %+v", ev))
			}
			received = append(received, n)
			if n == events {
				close(all)
			}
		},
	})
	require.NoError(t, err)
	defer es.Close()
	select {
	case <-all:
	case err := <-serverErrs:
		require.NoError(t, err)
	case <-time.After(60 * time.Second):
		require.FailNow(t, "timed out")
	}
	es.Close()
	close(done)
	wait(t, serverDone, "the server")
	close(serverErrs)
	for err := range serverErrs {
		assert.NoError(t, err)
	}

	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, errs)
	require.Len(t, received, events, "every event exactly once")
	for i, n := range received {
		if n != i+1 {
			require.Failf(t, "out of order", "event %d at position %d", n, i)
		}
	}
	assert.Equal(t, int32(restarts+1), connections.Load(), "one connection per restart, plus the first")
	assert.Equal(t, strconv.Itoa(events), es.LastEventID())
}

// A connection dropped in the middle of an event: the partial event is
// never dispatched and its id is not committed, so the reconnection asks
// for what followed the last complete event.
func TestFaultDropMidEvent(t *testing.T) {
	var n atomic.Int32
	ids := make(chan string, 3)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		ids <- r.Header.Get("Last-Event-ID")
		startStream(w)
		if n.Add(1) == 1 {
			send(w, "id: 1\ndata: complete\n\nid: 2\ndata: partial\ndata: more")
			return // the connection ends in the middle of event 2
		}
		send(w, "id: 2\ndata: resent\n\n")
		hold(r)
	})
	got := make(chan MessageEvent, 3)
	es, err := New(t.Context(), srv.URL, &EventSourceInit{
		Client:           newTestClient(t),
		ReconnectionTime: time.Millisecond,
		OnMessage:        func(ev MessageEvent) { got <- ev },
	})
	require.NoError(t, err)
	defer es.Close()
	assert.Equal(t, "complete", wait(t, got, "event 1").Data)
	assert.Equal(t, "", wait(t, ids, "request 1"))
	assert.Equal(t, "1", wait(t, ids, "request 2"))
	ev := wait(t, got, "event 2")
	assert.Equal(t, MessageEvent{Type: "message", Data: "resent", LastEventID: "2", Origin: srv.URL}, ev)
	es.Close()
	assert.Empty(t, got)
}

// Events of 10 MiB, spread over lines and in one line, cross the network;
// a larger one than MaxEventSize fails the connection with a clear error.
func TestFaultLargeEvents(t *testing.T) {
	const size = 10 << 20
	line := strings.Repeat("0123456789", 100)
	var many strings.Builder
	for range size / len(line) {
		many.WriteString("data: " + line + "\n")
	}
	many.WriteString("\n")
	single := "data: " + strings.Repeat("x", size) + "\n\n"

	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w)
		send(w, many.String())
		send(w, single)
		send(w, "data: small\n\n")
		hold(r)
	})
	got := make(chan MessageEvent, 3)
	es, err := New(t.Context(), srv.URL, &EventSourceInit{
		Client:    newTestClient(t),
		OnMessage: func(ev MessageEvent) { got <- ev },
	})
	require.NoError(t, err)
	defer es.Close()
	ev := wait(t, got, "the multi-line event")
	assert.Len(t, ev.Data, size/len(line)*(len(line)+1)-1)
	assert.Equal(t, line+"\n"+line, ev.Data[:2*len(line)+1])
	ev = wait(t, got, "the single-line event")
	assert.Equal(t, size, len(ev.Data))
	assert.Equal(t, "small", wait(t, got, "the small event").Data)
	es.Close()

	// Over the limit.
	var n atomic.Int32
	gate := make(chan struct{})
	big := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if !passGate(gate, r) {
			return
		}
		startStream(w)
		send(w, "data: ok\n\n")
		send(w, "data: "+strings.Repeat("y", 2<<20)+"\n\n")
		hold(r)
	})
	errs := make(chan error, 2)
	var es2 *EventSource
	states := make(chan ReadyState, 2)
	es2, err = New(t.Context(), big.URL, &EventSourceInit{
		Client:       newTestClient(t),
		MaxEventSize: 1 << 20,
		OnMessage:    func(ev MessageEvent) { got <- ev },
		OnError: func(err error) {
			errs <- err
			states <- es2.ReadyState()
		},
	})
	require.NoError(t, err)
	defer es2.Close()
	close(gate)
	assert.Equal(t, "ok", wait(t, got, "the small event").Data)
	err = wait(t, errs, "the error")
	assert.ErrorIs(t, err, ErrEventTooLarge)
	assert.Contains(t, err.Error(), "event too large")
	assert.Equal(t, StateClosed, wait(t, states, "the state"))
	es2.Close()
	assert.Equal(t, int32(1), n.Load(), "no reconnection")
}

// Close during the connection (no response yet), during a read, and from
// inside a listener: it returns, the state is CLOSED, no listener runs
// afterwards, and (TestMain checks) no goroutine is left.
func TestFaultCloseWhile(t *testing.T) {
	t.Run("connecting", func(t *testing.T) {
		arrived := make(chan struct{})
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			close(arrived)
			hold(r) // never answers
		})
		var calls atomic.Int32
		es, err := New(t.Context(), srv.URL, &EventSourceInit{
			Client:    newTestClient(t),
			OnOpen:    func() { calls.Add(1) },
			OnError:   func(error) { calls.Add(1) },
			OnMessage: func(MessageEvent) { calls.Add(1) },
		})
		require.NoError(t, err)
		wait(t, arrived, "the request")
		es.Close()
		assert.Equal(t, StateClosed, es.ReadyState())
		assert.Zero(t, calls.Load())
	})
	t.Run("reading", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			startStream(w)
			for i := 0; r.Context().Err() == nil; i++ {
				send(w, fmt.Sprintf("data: %d\n\n", i))
			}
		})
		got := make(chan struct{}, 1)
		var after atomic.Bool
		var closed atomic.Bool
		es, err := New(t.Context(), srv.URL, &EventSourceInit{
			Client: newTestClient(t),
			OnMessage: func(MessageEvent) {
				if closed.Load() {
					after.Store(true)
				}
				select {
				case got <- struct{}{}:
				default:
				}
			},
			OnError: func(error) { after.Store(true) },
		})
		require.NoError(t, err)
		wait(t, got, "an event")
		es.Close()
		closed.Store(true)
		assert.False(t, after.Load(), "a listener ran after Close returned")
	})
	t.Run("waiting to reconnect", func(t *testing.T) {
		errs := make(chan error, 1)
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			startStream(w)
			send(w, "retry: 3600000\ndata: x\n\n") // an hour
		})
		es, err := New(t.Context(), srv.URL, &EventSourceInit{Client: newTestClient(t), OnError: func(err error) { errs <- err }})
		require.NoError(t, err)
		wait(t, errs, "the end of the stream")
		es.Close() // must not wait an hour
		assert.Equal(t, StateClosed, es.ReadyState())
	})
	t.Run("from a listener", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			startStream(w)
			send(w, "data: 1\n\ndata: 2\n\n")
			hold(r)
		})
		returned := make(chan struct{})
		var es *EventSource
		var count atomic.Int32
		gate := make(chan struct{})
		es, err := New(t.Context(), srv.URL, &EventSourceInit{
			Client: newTestClient(t),
			OnOpen: func() { <-gate },
			OnMessage: func(MessageEvent) {
				count.Add(1)
				es.Close()
				close(returned)
			},
			OnError: func(error) { count.Add(100) },
		})
		require.NoError(t, err)
		close(gate)
		wait(t, returned, "Close from the listener")
		es.Close() // from outside: waits for the goroutine
		assert.Equal(t, int32(1), count.Load())
		assert.Equal(t, StateClosed, es.ReadyState())
	})
}
