package eventsource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/fetch"
)

// testTimeout bounds every wait of these tests; none is expected to come
// near it.
const testTimeout = 20 * time.Second

// newTestClient returns a fetch client with its own transport, whose idle
// connections are closed when the test ends.
func newTestClient(t testing.TB) *fetch.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &fetch.Client{HTTPClient: &http.Client{Transport: tr}}
}

// newServer starts a loopback server closed when the test ends.
func newServer(t testing.TB, h http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// startStream sends the headers of an event stream.
func startStream(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	http.NewResponseController(w).Flush()
}

// send writes s and flushes it.
func send(w http.ResponseWriter, s string) {
	io.WriteString(w, s)
	http.NewResponseController(w).Flush()
}

// hold blocks until the client goes away.
func hold(r *http.Request) { <-r.Context().Done() }

// passGate blocks until gate is closed (true) or the client goes away
// (false). Servers use it to wait until the test has registered its
// listeners and stored the EventSource the listeners use.
func passGate(gate chan struct{}, r *http.Request) bool {
	select {
	case <-gate:
		return true
	case <-r.Context().Done():
		return false
	}
}

// wait receives from ch or fails the test after testTimeout.
func wait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(testTimeout):
		require.FailNow(t, "timed out waiting for "+what)
		panic("unreachable")
	}
}

func TestReadyStateString(t *testing.T) {
	assert.Equal(t, "CONNECTING", StateConnecting.String())
	assert.Equal(t, "OPEN", StateOpen.String())
	assert.Equal(t, "CLOSED", StateClosed.String())
	assert.Equal(t, "ReadyState(7)", ReadyState(7).String())
	assert.Equal(t, ReadyState(0), StateConnecting)
	assert.Equal(t, ReadyState(1), StateOpen)
	assert.Equal(t, ReadyState(2), StateClosed)
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		url  string
		init *EventSourceInit
		is   error
	}{
		{"invalid URL", "http://this is invalid/", nil, ErrSyntax},
		{"relative URL without a base", "/events", nil, ErrSyntax},
		{"invalid base", "/events", &EventSourceInit{BaseURL: "not a url"}, ErrSyntax},
		{"invalid header name", "http://127.0.0.1:1/", &EventSourceInit{Headers: fetch.HeaderMap{"bad name": "x"}}, fetch.ErrInvalidHeader},
		{"forbidden method", "http://127.0.0.1:1/", &EventSourceInit{Method: "CONNECT"}, fetch.ErrTypeError},
		{"GET with a body", "http://127.0.0.1:1/", &EventSourceInit{Body: fetch.String("x")}, fetch.ErrTypeError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, err := New(t.Context(), tt.url, tt.init)
			require.ErrorIs(t, err, tt.is)
			assert.Nil(t, es)
		})
	}
	var nilCtx context.Context
	_, err := New(nilCtx, "http://127.0.0.1:1/", nil)
	assert.Error(t, err)
}

func TestAttributes(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { hold(r) })
	es, err := New(t.Context(), "sub/../events?x=1#frag", &EventSourceInit{
		BaseURL: srv.URL + "/a/", WithCredentials: true, Client: newTestClient(t), LastEventID: "42",
	})
	require.NoError(t, err)
	defer es.Close()
	assert.Equal(t, srv.URL+"/a/events?x=1#frag", es.URL())
	assert.True(t, es.WithCredentials())
	assert.Equal(t, "42", es.LastEventID())
	assert.Equal(t, StateConnecting, es.ReadyState())
	es.Close()
	assert.Equal(t, StateClosed, es.ReadyState())
	es.Close() // idempotent
}

// The requests carry the spec's headers and the Go extensions' method,
// body and headers, on the first connection and on every reconnection.
func TestRequests(t *testing.T) {
	type seen struct {
		method, body string
		header       http.Header
	}
	reqs := make(chan seen, 10)
	var n atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		reqs <- seen{r.Method, string(b), r.Header.Clone()}
		startStream(w)
		if n.Add(1) == 1 {
			send(w, "retry: 1\nid: 7\ndata: first\n\n")
			return // end of stream: reconnect
		}
		send(w, "data: second\n\n")
		hold(r)
	})
	got := make(chan MessageEvent, 10)
	es, err := New(t.Context(), srv.URL, &EventSourceInit{
		Client:    newTestClient(t),
		Method:    "POST",
		Body:      fetch.String(`{"prompt":"hi"}`),
		Headers:   fetch.HeaderMap{"Authorization": "Bearer t", "Accept": "text/html", "Last-Event-ID": "spoof"},
		OnMessage: func(ev MessageEvent) { got <- ev },
	})
	require.NoError(t, err)
	defer es.Close()

	for i, wantID := range []string{"", "7"} {
		r := wait(t, reqs, "a request")
		assert.Equal(t, "POST", r.method, "request %d", i)
		assert.Equal(t, `{"prompt":"hi"}`, r.body)
		assert.Equal(t, "text/event-stream", r.header.Get("Accept"))
		assert.Equal(t, "no-cache", r.header.Get("Cache-Control"))
		assert.Equal(t, "no-cache", r.header.Get("Pragma"))
		assert.Equal(t, "Bearer t", r.header.Get("Authorization"))
		assert.Equal(t, "text/plain;charset=UTF-8", r.header.Get("Content-Type"))
		if wantID == "" {
			assert.NotContains(t, r.header, "Last-Event-Id")
		} else {
			assert.Equal(t, []string{wantID}, r.header.Values("Last-Event-ID"))
		}
	}
	assert.Equal(t, "first", wait(t, got, "first").Data)
	ev := wait(t, got, "second")
	assert.Equal(t, MessageEvent{Type: "message", Data: "second", LastEventID: "7", Origin: srv.URL}, ev)
	assert.Equal(t, "7", es.LastEventID())
}

// The Go extension LastEventID is sent on the first connection.
func TestInitialLastEventID(t *testing.T) {
	ids := make(chan string, 1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		ids <- r.Header.Get("Last-Event-ID")
		w.WriteHeader(http.StatusNoContent)
	})
	es, err := New(t.Context(), srv.URL, &EventSourceInit{Client: newTestClient(t), LastEventID: "résumé-9"})
	require.NoError(t, err)
	defer es.Close()
	assert.Equal(t, "résumé-9", wait(t, ids, "the request"))
}

// The event order of one session: open, messages of all types, then the
// error of a lost connection (CONNECTING), open again, and the error of a
// failed connection (CLOSED), with the reasons.
func TestProcessingModel(t *testing.T) {
	var n atomic.Int32
	gate := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if !passGate(gate, r) {
			return
		}
		switch n.Add(1) {
		case 1:
			startStream(w)
			send(w, "retry: 1\n: hello\nevent: join\ndata: Bob\n\ndata: Hello\n\nevent: leave\ndata: Bob\n\n")
		case 2:
			startStream(w)
			send(w, "data: again\n\n")
		default:
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusNoContent) // stop
		}
	})
	var (
		mu  sync.Mutex
		log []string
		es  *EventSource
	)
	done := make(chan struct{})
	add := func(s string) { mu.Lock(); log = append(log, s); mu.Unlock() }
	es, err := New(t.Context(), srv.URL, &EventSourceInit{
		Client: newTestClient(t),
		OnOpen: func() { add("open " + es.ReadyState().String()) },
		OnError: func(err error) {
			state := es.ReadyState()
			add(fmt.Sprintf("error %v", state))
			var re *ResponseError
			switch {
			case state == StateClosed && errors.As(err, &re):
				add(fmt.Sprintf("status %d", re.Status))
				close(done)
			case errors.Is(err, io.EOF):
				add("EOF")
			default:
				add("unexpected " + err.Error())
			}
		},
		OnMessage: func(ev MessageEvent) { add("message " + ev.Data) },
		Listeners: map[string]func(MessageEvent){
			"join":  func(ev MessageEvent) { add("join " + ev.Data) },
			"leave": func(ev MessageEvent) { add("leave " + ev.Data) },
		},
	})
	require.NoError(t, err)
	defer es.Close()
	close(gate)
	wait(t, done, "the failure")
	es.Close()
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{
		"open OPEN", "join Bob", "message Hello", "leave Bob", "error CONNECTING", "EOF",
		"open OPEN", "message again", "error CONNECTING", "EOF",
		"error CLOSED", "status 204",
	}, log)
	assert.Equal(t, int32(3), n.Load(), "no reconnection after a 204")
}

func TestFailTheConnection(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
	}{
		{"404", 404, "text/event-stream"},
		{"500", 500, "text/event-stream"},
		{"204", 204, ""},
		{"201", 201, "text/event-stream"},
		{"wrong type", 200, "text/plain"},
		{"no type", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				w.Header()["Content-Type"] = nil
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.Header().Set("Retry-After", "60")
				w.WriteHeader(tt.status)
				io.WriteString(w, "data: x\n\n")
			})
			errs := make(chan error, 2)
			opens := make(chan struct{}, 2)
			es, err := New(t.Context(), srv.URL, &EventSourceInit{
				Client:  newTestClient(t),
				OnError: func(err error) { errs <- err },
				OnOpen:  func() { opens <- struct{}{} },
			})
			require.NoError(t, err)
			err = wait(t, errs, "the error")
			es.Close()
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.status, re.Status)
			assert.Equal(t, tt.contentType, re.ContentType)
			ra, _ := re.Headers.Get("Retry-After")
			assert.Equal(t, "60", ra)
			assert.Contains(t, re.Error(), "eventsource: response")
			assert.Equal(t, StateClosed, es.ReadyState())
			assert.Empty(t, errs)
			assert.Empty(t, opens)
			assert.Equal(t, int32(1), n.Load())
		})
	}
}

// A non-HTTP(S) URL fails asynchronously, as in browsers.
func TestNonHTTPURL(t *testing.T) {
	errs := make(chan error, 1)
	es, err := New(t.Context(), "ftp://example.invalid/", &EventSourceInit{OnError: func(err error) { errs <- err }})
	require.NoError(t, err)
	err = wait(t, errs, "the error")
	assert.ErrorIs(t, err, fetch.ErrNetwork)
	es.Close()
	assert.Equal(t, StateClosed, es.ReadyState())
}

// A network error reestablishes the connection.
func TestNetworkErrorReconnects(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens: connection refused

	errs := make(chan error, 10)
	es, err := New(t.Context(), "http://"+addr+"/", &EventSourceInit{
		Client:           newTestClient(t),
		ReconnectionTime: time.Millisecond,
		Backoff:          func(int, time.Duration) time.Duration { return 0 }, // raised to the reconnection time
		OnError:          func(err error) { errs <- err },
	})
	require.NoError(t, err)
	defer es.Close()
	for range 3 {
		err := wait(t, errs, "an error")
		assert.ErrorIs(t, err, fetch.ErrNetwork)
	}
	state := es.ReadyState()
	assert.Equal(t, StateConnecting, state)
}

// Cancelling the lifetime context fails the connection with an abort
// error; Close dispatches nothing.
func TestContextCancel(t *testing.T) {
	opened := make(chan struct{}, 1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w)
		opened <- struct{}{}
		hold(r)
	})
	cause := errors.New("shutting down")
	ctx, cancel := context.WithCancelCause(t.Context())
	errs := make(chan error, 2)
	var es *EventSource
	states := make(chan ReadyState, 2)
	es, err := New(ctx, srv.URL, &EventSourceInit{Client: newTestClient(t), OnError: func(err error) {
		errs <- err
		states <- es.ReadyState()
	}})
	require.NoError(t, err)
	wait(t, opened, "the connection")
	cancel(cause)
	err = wait(t, errs, "the abort error")
	assert.ErrorIs(t, err, fetch.ErrAbort)
	assert.ErrorIs(t, err, cause)
	assert.Equal(t, StateClosed, wait(t, states, "the state"))
	es.Close()
	assert.Empty(t, errs)

	// Close: no event at all.
	es2, err := New(t.Context(), srv.URL, &EventSourceInit{Client: newTestClient(t), OnError: func(err error) { errs <- err }})
	require.NoError(t, err)
	wait(t, opened, "the connection")
	es2.Close()
	assert.Empty(t, errs)
}

// A redirected stream: the events' origin is the final URL's, and an
// internationalized host name is serialized in its ASCII form.
func TestMessageEventOrigin(t *testing.T) {
	final := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w)
		send(w, "data: x\n\n")
		hold(r)
	})
	start := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, final.URL+"/final", http.StatusTemporaryRedirect)
	})
	got := make(chan MessageEvent, 1)
	es, err := New(t.Context(), start.URL, &EventSourceInit{Client: newTestClient(t), OnMessage: func(ev MessageEvent) { got <- ev }})
	require.NoError(t, err)
	assert.Equal(t, final.URL, wait(t, got, "the event").Origin)
	es.Close()

	// élève.test resolves (through the client's dialer) to the loopback
	// server.
	_, port, _ := net.SplitHostPort(final.Listener.Addr().String())
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, final.Listener.Addr().String())
	}}
	defer tr.CloseIdleConnections()
	es, err = New(t.Context(), "http://élève.test:"+port+"/", &EventSourceInit{
		Client:    &fetch.Client{HTTPClient: &http.Client{Transport: tr}},
		OnMessage: func(ev MessageEvent) { got <- ev },
	})
	require.NoError(t, err)
	defer es.Close()
	assert.Equal(t, "http://xn--lve-6lad.test:"+port+"/", es.URL())
	assert.Equal(t, "http://xn--lve-6lad.test:"+port, wait(t, got, "the event").Origin)
}

// The dispatch contract: a listener may remove itself or another, add
// listeners, and call Close, without deadlock; a listener removed during a
// dispatch is not called by it, one added is called from the next event
// on, and nothing runs after Close.
func TestDispatchContract(t *testing.T) {
	gate := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if !passGate(gate, r) {
			return
		}
		startStream(w)
		for i := range 10 {
			send(w, fmt.Sprintf("data: %d\n\n", i))
		}
		hold(r)
	})
	var (
		mu                   sync.Mutex
		log                  []string
		removeSelf, removeC  func()
		es                   *EventSource
		added                atomic.Bool
		afterClose           atomic.Int32
		closed               = make(chan struct{})
		closeReturnedInsider = make(chan struct{})
	)
	add := func(s string) { mu.Lock(); log = append(log, s); mu.Unlock() }
	es, err := New(t.Context(), srv.URL, &EventSourceInit{Client: newTestClient(t)})
	require.NoError(t, err)
	defer es.Close()
	removeSelf = es.OnMessage(func(ev MessageEvent) {
		add("A" + ev.Data)
		removeSelf() // once
		removeSelf() // harmless
	})
	es.OnMessage(func(ev MessageEvent) {
		add("B" + ev.Data)
		if ev.Data == "1" {
			removeC() // C is not called for this event
		}
		if ev.Data == "2" && added.CompareAndSwap(false, true) {
			es.OnMessage(func(ev MessageEvent) { add("D" + ev.Data) }) // from event 3 on
		}
		if ev.Data == "4" {
			es.Close() // from a listener: must not deadlock
			close(closeReturnedInsider)
		}
		if ev.Data > "4" {
			afterClose.Add(1)
		}
	})
	removeC = es.OnMessage(func(ev MessageEvent) { add("C" + ev.Data) })
	es.OnMessage(func(ev MessageEvent) {
		add("E" + ev.Data) // never sees "4": Close stops the dispatch
		if ev.Data == "4" {
			afterClose.Add(1)
		}
	})
	close(gate)
	wait(t, closeReturnedInsider, "Close from a listener")
	go func() { es.Close(); close(closed) }() // waits for the goroutine
	wait(t, closed, "Close")
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"A0", "B0", "C0", "E0", "B1", "E1", "B2", "E2", "B3", "E3", "D3", "B4"}, log)
	assert.Zero(t, afterClose.Load())
	assert.Equal(t, StateClosed, es.ReadyState())
}

// Registering and removing listeners from many goroutines while events
// are dispatched is safe (run with -race).
func TestConcurrentRegistration(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w)
		for i := range 2000 {
			send(w, fmt.Sprintf("event: t%d\ndata: %d\n\n", i%3, i))
		}
		hold(r)
	})
	last := make(chan struct{})
	es, err := New(t.Context(), srv.URL, &EventSourceInit{Client: newTestClient(t), Listeners: map[string]func(MessageEvent){
		"t2": func(ev MessageEvent) {
			if ev.Data == "1997" {
				close(last)
			}
		},
	}})
	require.NoError(t, err)
	defer es.Close()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				typ := fmt.Sprintf("t%d", (g+i)%3)
				r1 := es.AddEventListener(typ, func(MessageEvent) {})
				r2 := es.OnOpen(func() {})
				r3 := es.OnError(func(error) {})
				_ = es.ReadyState()
				_ = es.LastEventID()
				r1()
				r2()
				r3()
			}
		})
	}
	wg.Wait()
	wait(t, last, "the last event")
}

// nil listeners are ignored.
func TestNilListeners(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { hold(r) })
	es, err := New(t.Context(), srv.URL, &EventSourceInit{Client: newTestClient(t)})
	require.NoError(t, err)
	defer es.Close()
	es.OnOpen(nil)()
	es.OnError(nil)()
	es.OnMessage(nil)()
	es.AddEventListener("x", nil)()
	// Nothing was registered (the server never answers, so no dispatch
	// would reveal a nil listener).
	set := es.listeners.Load()
	assert.Empty(t, set.open)
	assert.Empty(t, set.errors)
	assert.Empty(t, set.typed)
}

// Init is copied: changing the caller's struct, headers or listener map
// after New has no effect, and New never writes to them.
func TestInitNotRetained(t *testing.T) {
	hdr := make(chan string, 1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		hdr <- r.Header.Get("X-Token")
		hold(r)
	})
	h, err := fetch.NewHeaders(fetch.HeaderMap{"X-Token": "a"})
	require.NoError(t, err)
	init := &EventSourceInit{Client: newTestClient(t), Headers: h, Listeners: map[string]func(MessageEvent){}}
	before := *init
	es, err := New(t.Context(), srv.URL, init)
	require.NoError(t, err)
	defer es.Close()
	require.NoError(t, h.Set("X-Token", "b"))
	assert.Equal(t, "a", wait(t, hdr, "the request"))
	assert.Equal(t, before.ReconnectionTime, init.ReconnectionTime)
	assert.Nil(t, init.Backoff)
	assert.Zero(t, init.MaxEventSize)
}

func TestExponentialBackoff(t *testing.T) {
	b := ExponentialBackoff(10 * time.Second)
	assert.Equal(t, 3*time.Second, b(1, 3*time.Second), "the first attempt waits exactly the reconnection time")
	assert.Equal(t, 20*time.Second, b(5, 20*time.Second), "a reconnection time above the cap is waited exactly")
	for attempt := 2; attempt < 80; attempt++ {
		for range 20 {
			d := b(attempt, time.Second)
			assert.GreaterOrEqual(t, d, time.Second)
			assert.LessOrEqual(t, d, min(10*time.Second, time.Second<<min(attempt-1, 20)))
		}
	}
	// retry: 0 grows from the 100 ms floor, not from zero.
	var seenLong bool
	for range 100 {
		d := b(3, 0)
		assert.LessOrEqual(t, d, 400*time.Millisecond)
		seenLong = seenLong || d > 10*time.Millisecond
	}
	assert.True(t, seenLong)
	// Jitter: not always the same.
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[b(4, time.Second)] = true
	}
	assert.Greater(t, len(seen), 1)
}
