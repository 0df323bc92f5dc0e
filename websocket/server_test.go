package websocket

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cws "github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testServer is the loopback server the tests talk to: WebSocket endpoints
// modelled on the web-platform-tests handlers, built with coder/websocket's
// Accept.
type testServer struct {
	*httptest.Server
	ws string // "ws://127.0.0.1:port"

	mu       sync.Mutex
	received []string      // text messages /sink has read
	sinkGot  chan struct{} // a message reached /sink
	pinged   chan struct{} // /pings received a ping
	partSent chan struct{} // /partial sent the first part of its message
	flakyN   atomic.Int64  // connections /flaky has accepted
	dropNow  chan struct{} // /flaky drops its first connection when this is signalled
	closes   chan error    // the error each echo-like handler's read loop ended with
	release  chan struct{} // /hold waits on it
}

func newTestServer(t testing.TB) *testServer {
	s := &testServer{
		sinkGot:  make(chan struct{}, 1024),
		pinged:   make(chan struct{}, 1024),
		partSent: make(chan struct{}, 16),
		dropNow:  make(chan struct{}, 16),
		closes:   make(chan error, 64),
		release:  make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", s.echo)
	mux.HandleFunc("/protocol", s.protocol)
	mux.HandleFunc("/remote-close", s.remoteClose)
	mux.HandleFunc("/delayed-passive-close", s.delayedClose)
	mux.HandleFunc("/drop", s.drop)
	mux.HandleFunc("/never", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers the handshake
	})
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "go away", http.StatusForbidden)
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/echo", http.StatusFound)
	})
	mux.HandleFunc("/send", s.sendMessages)
	mux.HandleFunc("/nopong", s.noPong)
	mux.HandleFunc("/sink", s.sink)
	mux.HandleFunc("/hold", s.hold)
	mux.HandleFunc("/headers", s.headers)
	mux.HandleFunc("/pings", s.pings)
	mux.HandleFunc("/flaky", s.flaky)
	mux.HandleFunc("/partial", s.partial)
	mux.HandleFunc("/invalid-utf8", func(w http.ResponseWriter, r *http.Request) {
		c := accept(w, r, nil)
		if c == nil {
			return
		}
		defer c.CloseNow()
		_ = c.Write(context.Background(), cws.MessageText, []byte("ok\xff"))
		s.reportClose(readUntilError(c))
	})
	s.Server = httptest.NewServer(mux)
	s.ws = "ws" + strings.TrimPrefix(s.URL, "http")
	t.Cleanup(func() {
		s.mu.Lock()
		select {
		case <-s.release:
		default:
			close(s.release)
		}
		s.mu.Unlock()
		s.Close()
	})
	return s
}

func accept(w http.ResponseWriter, r *http.Request, opts *cws.AcceptOptions) *cws.Conn {
	if opts == nil {
		opts = &cws.AcceptOptions{}
	}
	opts.CompressionMode = cws.CompressionContextTakeover
	c, err := cws.Accept(w, r, opts)
	if err != nil {
		return nil
	}
	c.SetReadLimit(-1)
	return c
}

// echo sends every message back; the text "Goodbye" makes it close the
// connection (1000, "Goodbye"), like WPT's echo handler.
func (s *testServer) echo(w http.ResponseWriter, r *http.Request) {
	c := accept(w, r, nil)
	if c == nil {
		return
	}
	defer c.CloseNow()
	ctx := context.Background()
	for {
		typ, data, err := c.Read(ctx)
		if err != nil {
			s.reportClose(err)
			return
		}
		if typ == cws.MessageText && string(data) == "Goodbye" {
			_ = c.Close(cws.StatusNormalClosure, "Goodbye")
			return
		}
		if err := c.Write(ctx, typ, data); err != nil {
			return
		}
	}
}

// readUntilError reads and discards messages (which answers control
// frames, the client's close among them) until the connection ends, and
// returns the error that ended it.
func readUntilError(c *cws.Conn) error {
	for {
		if _, _, err := c.Read(context.Background()); err != nil {
			return err
		}
	}
}

func (s *testServer) reportClose(err error) {
	select {
	case s.closes <- err:
	default:
	}
}

// protocol negotiates one of "chat", "superchat" and "echo" and sends the
// selected subprotocol as its first message.
func (s *testServer) protocol(w http.ResponseWriter, r *http.Request) {
	c := accept(w, r, &cws.AcceptOptions{Subprotocols: []string{"chat", "superchat", "echo"}})
	if c == nil {
		return
	}
	defer c.CloseNow()
	ctx := context.Background()
	if err := c.Write(ctx, cws.MessageText, []byte(c.Subprotocol())); err != nil {
		return
	}
	_ = readUntilError(c)
}

// remoteClose closes at once with ?code= and ?reason=, after sending the
// ?before= message when given.
func (s *testServer) remoteClose(w http.ResponseWriter, r *http.Request) {
	code, _ := strconv.Atoi(r.URL.Query().Get("code"))
	c := accept(w, r, nil)
	if c == nil {
		return
	}
	defer c.CloseNow()
	if before := r.URL.Query().Get("before"); before != "" {
		_ = c.Write(context.Background(), cws.MessageText, []byte(before))
	}
	_ = c.Close(cws.StatusCode(code), r.URL.Query().Get("reason"))
}

// delayedClose reads one message, waits ?ms= milliseconds (a slow peer),
// then reads on, which answers the client's close frame.
func (s *testServer) delayedClose(w http.ResponseWriter, r *http.Request) {
	ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
	c := accept(w, r, nil)
	if c == nil {
		return
	}
	defer c.CloseNow()
	ctx := context.Background()
	if _, _, err := c.Read(ctx); err != nil {
		return
	}
	time.Sleep(time.Duration(ms) * time.Millisecond) // the peer's behaviour under test, not a wait for an event
	s.reportClose(readUntilError(c))
}

// drop sends ?before= when given, then drops the TCP connection without a
// closing handshake.
func (s *testServer) drop(w http.ResponseWriter, r *http.Request) {
	c := accept(w, r, nil)
	if c == nil {
		return
	}
	if before := r.URL.Query().Get("before"); before != "" {
		_ = c.Write(context.Background(), cws.MessageText, []byte(before))
	}
	_ = c.CloseNow()
}

// sendMessages sends ?n= text messages "0", "1", ... of ?size= bytes each
// (padded with "x") and then reads until the client closes.
func (s *testServer) sendMessages(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	size, _ := strconv.Atoi(r.URL.Query().Get("size"))
	binary := r.URL.Query().Get("binary") != ""
	c := accept(w, r, nil)
	if c == nil {
		return
	}
	defer c.CloseNow()
	ctx := context.Background()
	typ := cws.MessageText
	if binary {
		typ = cws.MessageBinary
	}
	for i := range n {
		msg := strconv.Itoa(i)
		if len(msg) < size {
			msg += strings.Repeat("x", size-len(msg))
		}
		if err := c.Write(ctx, typ, []byte(msg)); err != nil {
			return
		}
	}
	s.reportClose(readUntilError(c))
}

// noPong never answers pings; it reads (so it sees the client's frames)
// until the connection ends.
func (s *testServer) noPong(w http.ResponseWriter, r *http.Request) {
	c := accept(w, r, &cws.AcceptOptions{
		OnPingReceived: func(context.Context, []byte) bool { return false },
	})
	if c == nil {
		return
	}
	defer c.CloseNow()
	_ = readUntilError(c)
}

// sink records every text message it reads.
func (s *testServer) sink(w http.ResponseWriter, r *http.Request) {
	c := accept(w, r, nil)
	if c == nil {
		return
	}
	defer c.CloseNow()
	for {
		_, data, err := c.Read(context.Background())
		if err != nil {
			s.reportClose(err)
			return
		}
		s.mu.Lock()
		s.received = append(s.received, string(data))
		s.mu.Unlock()
		select {
		case s.sinkGot <- struct{}{}:
		default: // nobody is counting: never stop reading
		}
	}
}

// waitSink waits until /sink has read n more messages.
func (s *testServer) waitSink(t testing.TB, n int) {
	t.Helper()
	for range n {
		select {
		case <-s.sinkGot:
		case <-time.After(eventTimeout):
			require.FailNow(t, "the server did not get the messages", "got %q", s.sinkMessages())
		}
	}
}

func (s *testServer) sinkMessages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.received...)
}

// hold accepts and reads nothing until release is closed (or the test
// ends), so the client's writes fill the TCP buffers; then it reads on.
func (s *testServer) hold(w http.ResponseWriter, r *http.Request) {
	c := accept(w, r, nil)
	if c == nil {
		return
	}
	defer c.CloseNow()
	<-s.release
	_ = readUntilError(c)
}

// headers sends back the Origin and X-Test request headers as one text
// message "origin|x-test".
func (s *testServer) headers(w http.ResponseWriter, r *http.Request) {
	c := accept(w, r, &cws.AcceptOptions{InsecureSkipVerify: true})
	if c == nil {
		return
	}
	defer c.CloseNow()
	msg := r.Header.Get("Origin") + "|" + r.Header.Get("X-Test")
	_ = c.Write(context.Background(), cws.MessageText, []byte(msg))
	_ = readUntilError(c)
}

// pings answers pings and reports each on s.pinged.
func (s *testServer) pings(w http.ResponseWriter, r *http.Request) {
	c := accept(w, r, &cws.AcceptOptions{
		OnPingReceived: func(context.Context, []byte) bool {
			s.pinged <- struct{}{}
			return true
		},
	})
	if c == nil {
		return
	}
	defer c.CloseNow()
	_ = readUntilError(c)
}

// partial starts a text message, sends 64 KiB of it, and never finishes
// it; it keeps reading (so it answers the client's close) until the
// connection ends.
func (s *testServer) partial(w http.ResponseWriter, r *http.Request) {
	c := accept(w, r, nil)
	if c == nil {
		return
	}
	defer c.CloseNow()
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		s.reportClose(readUntilError(c))
	}()
	mw, err := c.Writer(context.Background(), cws.MessageText)
	if err == nil {
		_, _ = mw.Write([]byte(strings.Repeat("p", 64<<10)))
		s.partSent <- struct{}{}
	}
	<-readDone
}

// flaky drops its first connection when dropNow is signalled (or refuses
// its handshake with 503 when ?refuse=first); later connections are sinks.
func (s *testServer) flaky(w http.ResponseWriter, r *http.Request) {
	if s.flakyN.Add(1) > 1 {
		s.sink(w, r)
		return
	}
	if r.URL.Query().Get("refuse") == "first" {
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	c := accept(w, r, nil)
	if c == nil {
		return
	}
	go func() { _ = readUntilError(c) }() // keep answering control frames meanwhile
	<-s.dropNow
	_ = c.CloseNow()
}

// opened is what the recorder records for an open event.
type opened struct{}

// recorder collects a WebSocket's events, in dispatch order.
type recorder struct {
	ch chan any // opened, MessageEvent, error, CloseEvent
}

// eventTarget is what a recorder listens to: a WebSocket or a
// ReconnectingWebSocket.
type eventTarget interface {
	OnOpen(func()) func()
	OnMessage(func(MessageEvent)) func()
	OnError(func(error)) func()
	OnClose(func(CloseEvent)) func()
}

// listen records every event of et.
func (r *recorder) listen(et eventTarget) {
	et.OnOpen(func() { r.ch <- opened{} })
	et.OnMessage(func(e MessageEvent) { r.ch <- e })
	et.OnError(func(err error) { r.ch <- err })
	et.OnClose(func(e CloseEvent) { r.ch <- e })
}

// attach is listen as an Options.Setup.
func (r *recorder) attach(ws *WebSocket) { r.listen(ws) }

// dial opens a WebSocket to url with opts (nil: none), recording its
// events from the very start; the WebSocket is closed when the test ends.
func dial(t testing.TB, url string, opts *Options) (*WebSocket, *recorder) {
	t.Helper()
	rec := &recorder{ch: make(chan any, 1024)}
	var o Options
	if opts != nil {
		o = *opts
	}
	setup := o.Setup
	o.Setup = func(ws *WebSocket) {
		rec.listen(ws)
		if setup != nil {
			setup(ws)
		}
	}
	ws, err := NewWithOptions(context.Background(), url, &o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ws.Close() })
	return ws, rec
}

const eventTimeout = 10 * time.Second

// next returns the next event, failing the test if none comes in time.
func (r *recorder) next(t testing.TB) any {
	t.Helper()
	select {
	case e := <-r.ch:
		return e
	case <-time.After(eventTimeout):
		require.FailNow(t, "no event within the timeout")
		return nil
	}
}

func (r *recorder) expectOpen(t testing.TB) {
	t.Helper()
	e := r.next(t)
	require.IsType(t, opened{}, e, "want the open event, got %#v", e)
}

func (r *recorder) expectMessage(t testing.TB) MessageEvent {
	t.Helper()
	e := r.next(t)
	m, ok := e.(MessageEvent)
	require.True(t, ok, "want a message event, got %#v", e)
	return m
}

func (r *recorder) expectError(t testing.TB) error {
	t.Helper()
	e := r.next(t)
	err, ok := e.(error)
	require.True(t, ok, "want an error event, got %#v", e)
	return err
}

func (r *recorder) expectClose(t testing.TB) CloseEvent {
	t.Helper()
	e := r.next(t)
	c, ok := e.(CloseEvent)
	require.True(t, ok, "want a close event, got %#v", e)
	return c
}

// rest returns the events still recorded, once the WebSocket is done.
func (r *recorder) rest() []any {
	var out []any
	for {
		select {
		case e := <-r.ch:
			out = append(out, e)
		default:
			return out
		}
	}
}

// assertNoMoreEvents checks that nothing followed, after ws is done.
func assertNoMoreEvents(t testing.TB, ws *WebSocket, r *recorder) {
	t.Helper()
	<-ws.done
	assert.Empty(t, r.rest())
}
